using NetNs.Core.Interop;
using NetNs.Core.Netlink;

namespace NetNs.Core;

public sealed partial class NetlinkHandle
{
    private const uint MacvlanModeBridge = 4;

    /// <summary>
    /// Creates a veth pair; the peer is created straight in its target namespace, so its name never clashes
    /// in this one. With <see cref="VethSpec.Up"/> both ends are brought up; if that fails the pair is deleted.
    /// Equivalent to: `ip link add NAME [mtu M] [address MAC] type veth peer name PEER [netns NS] [address MAC]`
    /// then `ip link set NAME up; ip -n NS link set PEER up`.
    /// </summary>
    public VethPair CreateVeth(VethSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Names.CheckInterfaceName(spec.Name, "create veth");
        Names.CheckInterfaceName(spec.PeerName, "create veth");
        byte[]? mac = spec.MacAddress is null ? null : Mac.Parse(spec.MacAddress);
        // The peer's address is chosen here when not given (random, locally administered, as the kernel's
        // eth_random_addr would), so the result can name it without a read-back in the peer's namespace.
        byte[] peerMac = spec.PeerMacAddress is null ? Mac.Random() : Mac.Parse(spec.PeerMacAddress);
        CheckMtu(spec.Mtu, spec.Name);
        var peerNs = spec.PeerNamespace;
        string? peerNsName = peerNs is null ? NamespaceName : (peerNs.IsCurrent ? null : peerNs.DisplayName);
        if (peerNs is null && spec.PeerName == spec.Name)
            throw NetNsException.Invalid("create veth", spec.Name, $"both ends of veth '{spec.Name}' cannot have the same name in one namespace");

        var req = new MessageWriter(MessageType.NewLink, NetlinkFlags.Create | NetlinkFlags.Excl);
        req.Struct(new IfInfoMsg());
        req.String(Ifla.IfName, spec.Name);
        if (spec.Mtu is int mtu)
            req.U32(Ifla.Mtu, (uint)mtu);
        if (mac is not null)
            req.Bytes(Ifla.Address, mac);
        bool added = false;
        try
        {
            using (req.Nested(Ifla.LinkInfo))
            {
                req.String(Ifla.InfoKind, "veth");
                using (req.Nested(Ifla.InfoData))
                using (req.Nested(Ifla.VethInfoPeer))
                {
                    req.Struct(new IfInfoMsg());
                    req.String(Ifla.IfName, spec.PeerName);
                    if (peerNs is not null)
                    {
                        peerNs.Fd.DangerousAddRef(ref added); // the fd must stay open until the ACK
                        req.U32(Ifla.NetNsFd, (uint)peerNs.Fd.Value);
                    }
                    req.Bytes(Ifla.Address, peerMac);
                    if (spec.Mtu is int peerMtu)
                        req.U32(Ifla.Mtu, (uint)peerMtu);
                }
            }
            _socket.Execute(req, Context("create veth", ObjectKind.Link, $"{spec.Name}"));
        }
        finally
        {
            if (added)
                peerNs!.Fd.DangerousRelease();
        }

        try
        {
            if (spec.Up)
            {
                SetLinkState(spec.Name, true);
                if (peerNs is null)
                    SetLinkState(spec.PeerName, true);
                else
                {
                    using var peer = Open(peerNs);
                    peer.SetLinkState(spec.PeerName, true);
                }
            }
            var link = GetLinkMessage(spec.Name);
            return new VethPair
            {
                Name = link.Name,
                Namespace = NamespaceName,
                InterfaceIndex = link.Index,
                PeerName = spec.PeerName,
                PeerNamespace = peerNsName,
                PeerIfIndex = link.Link,
                State = (link.Flags & Iff.Up) != 0 ? LinkState.Up : LinkState.Down,
                Mtu = link.Mtu,
                MacAddress = link.MacText,
                PeerMacAddress = Mac.Format(peerMac),
            };
        }
        catch
        {
            TryDelete(spec.Name); // deleting one end deletes both
            throw;
        }
    }

    /// <summary>
    /// Creates a bridge, dummy, vlan or macvlan link; if bringing it up fails it is deleted again.
    /// Equivalent to: `ip link add NAME [link PARENT] [mtu M] [address MAC] type bridge|dummy|vlan id N|macvlan mode bridge`.
    /// </summary>
    public NetNsLink CreateLink(LinkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Names.CheckInterfaceName(spec.Name, "create link");
        byte[]? mac = spec.MacAddress is null ? null : Mac.Parse(spec.MacAddress);
        CheckMtu(spec.Mtu, spec.Name);
        int parent = 0;
        if (spec.Kind is LinkKind.Vlan or LinkKind.Macvlan)
        {
            if (string.IsNullOrEmpty(spec.Parent))
                throw NetNsException.Invalid("create link", spec.Name, $"a {spec.Kind.ToString().ToLowerInvariant()} link needs a parent link");
            if (spec.Kind == LinkKind.Vlan && spec.VlanId is not (>= 1 and <= 4094))
                throw NetNsException.Invalid("create link", spec.Name, $"a vlan link needs a VLAN id from 1 to 4094 (got {spec.VlanId?.ToString() ?? "none"})");
            parent = GetLinkIndex(spec.Parent);
        }

        var req = new MessageWriter(MessageType.NewLink, NetlinkFlags.Create | NetlinkFlags.Excl);
        req.Struct(new IfInfoMsg());
        req.String(Ifla.IfName, spec.Name);
        if (parent > 0)
            req.U32(Ifla.Link, (uint)parent);
        if (spec.Mtu is int mtu)
            req.U32(Ifla.Mtu, (uint)mtu);
        if (mac is not null)
            req.Bytes(Ifla.Address, mac);
        using (req.Nested(Ifla.LinkInfo))
        {
            req.String(Ifla.InfoKind, spec.Kind.ToString().ToLowerInvariant());
            if (spec.Kind == LinkKind.Vlan)
            {
                using (req.Nested(Ifla.InfoData))
                    req.U16(Ifla.VlanId, (ushort)spec.VlanId!.Value);
            }
            else if (spec.Kind == LinkKind.Macvlan)
            {
                using (req.Nested(Ifla.InfoData))
                    req.U32(Ifla.MacvlanMode, MacvlanModeBridge);
            }
        }
        _socket.Execute(req, Context("create", ObjectKind.Link, spec.Name));
        try
        {
            if (spec.Up)
                SetLinkState(spec.Name, true);
            return GetLink(spec.Name);
        }
        catch
        {
            TryDelete(spec.Name);
            throw;
        }
    }

    /// <summary>Brings a link up or down. Equivalent to: `ip link set NAME up|down`.</summary>
    public void SetLinkState(string name, bool up)
    {
        Names.CheckInterfaceName(name, "set link state");
        var req = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        req.Struct(new IfInfoMsg { Flags = up ? Iff.Up : 0, Change = Iff.Up });
        req.String(Ifla.IfName, name);
        _socket.Execute(req, Context(up ? "bring up" : "bring down", ObjectKind.Link, name));
    }

    /// <summary>
    /// Applies <paramref name="changes"/> in order: MTU, MAC, name, state, and last the move to another
    /// namespace (renaming there in the same step when a new name is given); a move takes the link down, so the
    /// state is set after a move, in the target. If a step before the move fails, the ones before it are undone.
    /// Every requested property holds in the link returned.
    /// Equivalent to: `ip link set NAME [mtu M] [address MAC] [name NEW] [up|down] [netns NS]`.
    /// </summary>
    public NetNsLink SetLink(string name, LinkChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var link = GetLinkMessage(name);
        if (changes.NewName is not null)
            Names.CheckInterfaceName(changes.NewName, "rename link");
        byte[]? mac = changes.MacAddress is null ? null : Mac.Parse(changes.MacAddress);
        CheckMtu(changes.Mtu, name);

        // Each step that succeeds pushes its undo; if a later one fails they run in reverse (best effort),
        // so a failed Set leaves the link as it was.
        var undo = new Stack<Action>();
        string current = name;
        bool moving = changes.Namespace is not null && !(_ns?.Equals(changes.Namespace) ?? changes.Namespace.IsCurrent);
        try
        {
            if (changes.Mtu is int mtu && mtu != link.Mtu)
            {
                Modify(link.Index, name, "set the MTU of", w => w.U32(Ifla.Mtu, (uint)mtu));
                undo.Push(() => Modify(link.Index, name, "restore the MTU of", w => w.U32(Ifla.Mtu, (uint)link.Mtu)));
            }
            if (mac is not null)
            {
                Modify(link.Index, name, "set the MAC address of", w => w.Bytes(Ifla.Address, mac));
                if (link.Address is { Length: > 0 } oldMac)
                    undo.Push(() => Modify(link.Index, name, "restore the MAC address of", w => w.Bytes(Ifla.Address, oldMac)));
            }
            if (changes.NewName is not null && changes.NewName != name && !moving)
            {
                Rename(link.Index, name, changes.NewName);
                current = changes.NewName;
                undo.Push(() => Rename(link.Index, changes.NewName, name));
            }
            bool wasUp = (link.Flags & Iff.Up) != 0;
            if (changes.Up is bool up && up != wasUp && !moving)
            {
                SetLinkState(current, up);
                string now = current;
                undo.Push(() => SetLinkState(now, wasUp));
            }
            if (moving)
                MoveLink(link.Index, current, changes.Namespace!, changes.NewName);
        }
        catch (NetNsException)
        {
            while (undo.TryPop(out var step))
            {
                try
                {
                    step();
                }
                catch (NetNsException)
                {
                    // best effort: the original error is what the caller needs to see
                }
            }
            throw;
        }
        if (moving)
        {
            using var there = Open(changes.Namespace);
            string moved = changes.NewName ?? current;
            if (changes.Up is bool upThere)
                there.SetLinkState(moved, upThere); // the kernel brought it down on the way
            return there.GetLink(moved);
        }
        return GetLink(current);
    }

    /// <summary>Enslaves a link to a bridge, or releases it with null. Equivalent to: `ip link set NAME master BR` / `nomaster`.</summary>
    public void SetMaster(string name, string? master) =>
        SetMasterIndex(name, master is null ? 0 : GetLinkIndex(master), master);

    // The port is named in the request (IFLA_IFNAME with ifindex 0): the kernel looks it up, ENODEV if missing.
    private void SetMasterIndex(string name, int masterIndex, string? master)
    {
        Names.CheckInterfaceName(name, "set master");
        Modify(0, name, master is null ? "release" : $"add to '{master}'", w =>
        {
            w.String(Ifla.IfName, name);
            w.U32(Ifla.Master, (uint)masterIndex);
        });
    }

    /// <summary>Deletes a link (a veth takes its peer with it). Equivalent to: `ip link delete NAME`.</summary>
    public void DeleteLink(string name)
    {
        Names.CheckInterfaceName(name, "delete link");
        var req = new MessageWriter(MessageType.DelLink, NetlinkFlags.None);
        req.Struct(new IfInfoMsg());
        req.String(Ifla.IfName, name);
        _socket.Execute(req, Context("delete", ObjectKind.Link, name));
    }

    private void TryDelete(string name)
    {
        try
        {
            DeleteLink(name);
        }
        catch (NetNsException)
        {
            // best effort rollback: the original error is what the caller needs to see
        }
    }

    // Rename while up can give EBUSY on older kernels: bring it down, rename, restore.
    private void Rename(int index, string name, string newName)
    {
        try
        {
            Modify(index, name, $"rename to '{newName}'", w => w.String(Ifla.IfName, newName));
        }
        catch (NetNsException e) when (e.Errno == Errno.EBUSY)
        {
            SetLinkState(name, false);
            Modify(index, name, $"rename to '{newName}'", w => w.String(Ifla.IfName, newName));
            SetLinkState(newName, true);
        }
    }

    private void MoveLink(int index, string name, NamespaceHandle target, string? newName)
    {
        bool added = false;
        target.Fd.DangerousAddRef(ref added); // keep the fd open until the ACK
        try
        {
            Modify(index, name, $"move to namespace '{target.DisplayName}'", w =>
            {
                w.U32(Ifla.NetNsFd, (uint)target.Fd.Value);
                if (newName is not null)
                    w.String(Ifla.IfName, newName);
            });
        }
        catch (NetNsException e) when (e.Reason == NetNsErrorReason.LinkExists)
        {
            // EEXIST is about the target namespace, not this one (which the generic message would name).
            string there = target.IsCurrent ? "the caller's namespace" : $"namespace '{target.DisplayName}'";
            throw new NetNsException(NetNsErrorReason.LinkExists, e.Operation,
                $"cannot move link '{name}' to {there}: a link named '{newName ?? name}' already exists there", newName ?? name, e.Errno, e.KernelMessage);
        }
        finally
        {
            if (added)
                target.Fd.DangerousRelease();
        }
    }

    private void Modify(int index, string name, string operation, Action<MessageWriter> attrs)
    {
        var req = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        req.Struct(new IfInfoMsg { Index = index });
        attrs(req);
        _socket.Execute(req, Context(operation, ObjectKind.Link, name));
    }

    private static void CheckMtu(int? mtu, string name)
    {
        if (mtu is <= 0 or > 65535)
            throw NetNsException.Invalid("set MTU", name, $"MTU {mtu} is out of range (68–65535 for Ethernet-like links)");
    }
}
