using NetNs.Core.Interop;
using NetNs.Core.Netlink;

namespace NetNs.Core;

// Creating links: veth pairs (the peer made in its namespace) and bridge, dummy, vlan, macvlan links, undone if a later step fails.
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
        Names.CheckNewInterfaceName(spec.Name, "create veth");
        Names.CheckNewInterfaceName(spec.PeerName, "create veth");
        byte[]? mac = spec.MacAddress is null ? null : Mac.Parse(spec.MacAddress);
        // The peer's address is chosen here when not given (random, locally administered, as the kernel's
        // eth_random_addr would), so the result can name it without a read-back in the peer's namespace.
        byte[] peerMac = spec.PeerMacAddress is null ? Mac.Random() : Mac.Parse(spec.PeerMacAddress);
        CheckMtu(spec.Mtu, spec.Name);
        var peerNs = spec.PeerNamespace;
        string? peerNsName = peerNs is null ? NamespaceName : NamespaceHandle.LabelOf(peerNs);
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
        catch (NetNsException e) when (e.Reason == NetNsErrorReason.LinkExists && FindLink(spec.Name) is null)
        {
            // The kernel says EEXIST for either end: when this end's name is free, it is the peer's that is taken.
            throw NetNsException.FromErrno("create veth", Interop.Errno.EEXIST, ObjectKind.Link, spec.PeerName, peerNsName);
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
        Names.CheckNewInterfaceName(spec.Name, "create link");
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

    private static void CheckMtu(int? mtu, string name)
    {
        if (mtu is <= 0 or > 65535)
            throw NetNsException.Invalid("set MTU", name, $"MTU {mtu} is out of range (68–65535 for Ethernet-like links)");
    }
}
