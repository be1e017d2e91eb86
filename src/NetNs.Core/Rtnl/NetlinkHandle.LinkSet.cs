using NetNs.Core.Interop;
using NetNs.Core.Netlink;

namespace NetNs.Core;

// Changing a link: state, and several properties in one call with the earlier steps undone when a later one fails.
public sealed partial class NetlinkHandle
{
    /// <summary>Brings a link up or down. Equivalent to: `ip link set NAME up|down`.</summary>
    public void SetLinkState(string name, bool up)
    {
        Names.CheckInterfaceName(name, "set link state");
        var req = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        req.Struct(new IfInfoMsg { Flags = up ? Iff.Up : 0, Change = Iff.Up });
        req.String(Ifla.IfName, name);
        _socket.Execute(req, Context(up ? "bring up" : "bring down", ObjectKind.Link, name));
    }

    /// <summary>IFALIASZ - 1 (linux/if.h): the longest alias, in bytes.</summary>
    public const int MaxAliasBytes = 255;

    /// <summary>
    /// Sets a link's alias (IFLA_IFALIAS), or clears it with null or "", and with <paramref name="up"/> its state, in
    /// one request. Sent without a trailing NUL, as iproute2 does (the kernel stores the attribute's bytes as they
    /// are). Equivalent to: `ip link set NAME alias TEXT [up|down]`.
    /// </summary>
    public void SetLinkAlias(string name, string? alias, bool? up = null)
    {
        Names.CheckInterfaceName(name, "set link alias");
        alias ??= "";
        if (System.Text.Encoding.UTF8.GetByteCount(alias) > MaxAliasBytes || alias.Contains('\0') || alias.Contains('\n'))
            throw NetNsException.Invalid("set link alias", name, $"an alias is at most {MaxAliasBytes} bytes, without NUL or newline");
        _socket.Execute(AliasRequest(name, alias, up), Context("set the alias of", ObjectKind.Link, name));
    }

    internal static MessageWriter AliasRequest(string name, string alias, bool? up = null)
    {
        var req = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        req.Struct(up is bool u ? new IfInfoMsg { Flags = u ? Iff.Up : 0, Change = Iff.Up } : new IfInfoMsg());
        req.String(Ifla.IfName, name);
        req.Bytes(Ifla.IfAlias, System.Text.Encoding.UTF8.GetBytes(alias));
        return req;
    }

    /// <summary>
    /// Applies <paramref name="changes"/> in order: MTU, MAC, name, state, and last the move to another
    /// namespace (renaming there in the same step when a new name is given); a move takes the link down, so the
    /// state is set after a move, in the target. If a step before the move fails, the ones before it are undone.
    /// Every requested property holds in the link returned.
    /// Equivalent to: `ip link set NAME [mtu M] [address MAC] [name NEW] [up|down] [netns NS]`.
    /// </summary>
    public NetNsLink SetLink(string name, LinkChanges changes) => ApplyLinkChanges(name, changes, readBack: true)!;

    /// <summary>
    /// <see cref="SetLink"/> without reading the link back (what a caller that writes nothing needs): a change of
    /// state alone is then one request, as `ip link set NAME up` sends.
    /// </summary>
    public void ApplyLinkChanges(string name, LinkChanges changes) => ApplyLinkChanges(name, changes, readBack: false);

    private NetNsLink? ApplyLinkChanges(string name, LinkChanges changes, bool readBack)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (!readBack && changes is { Up: bool onlyUp, Mtu: null, MacAddress: null, NewName: null, Namespace: null })
        {
            SetLinkState(name, onlyUp);
            return null;
        }
        var link = GetLinkMessage(name);
        if (changes.NewName is not null)
            Names.CheckNewInterfaceName(changes.NewName, "rename link");
        byte[]? mac = changes.MacAddress is null ? null : Mac.Parse(changes.MacAddress);
        CheckMtu(changes.Mtu, name);

        // Each step that succeeds pushes its undo; if a later one fails they run in reverse (best effort),
        // so a failed Set leaves the link as it was.
        var undo = new UndoSteps();
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
            undo.Run();
            throw;
        }
        if (moving)
        {
            using var there = Open(changes.Namespace);
            string moved = changes.NewName ?? current;
            if (changes.Up is bool upThere)
                there.SetLinkState(moved, upThere); // the kernel brought it down on the way
            return readBack ? there.GetLink(moved) : null;
        }
        return readBack ? GetLink(current) : null;
    }
}
