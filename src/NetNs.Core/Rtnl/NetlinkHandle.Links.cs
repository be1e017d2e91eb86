using NetNs.Core.Netlink;

namespace NetNs.Core;

public sealed partial class NetlinkHandle
{
    /// <summary>IFLA_TARGET_NETNSID (linux/if_link.h): ask about a link in another namespace by its id.</summary>
    private const ushort IflaTargetNetNsId = 46;

    /// <summary>All links in the namespace, with masters, parents and veth peers resolved. Equivalent to: `ip -d link show`.</summary>
    public IReadOnlyList<NetNsLink> GetLinks()
    {
        var raw = DumpLinks(withCounters: true);
        var names = raw.ToDictionary(l => l.Index, l => l.Name);
        var resolver = new PeerResolver(this);
        return raw.Select(l => ToLink(l, names, resolver)).ToList();
    }

    /// <summary>One link by name; LinkNotFound when there is none. Equivalent to: `ip -d link show dev NAME`.</summary>
    public NetNsLink GetLink(string name)
    {
        var m = GetLinkMessage(name, withCounters: true);
        return ToLink(m, null, new PeerResolver(this));
    }

    /// <summary>One link by ifindex; LinkNotFound when there is none. Equivalent to: `ip -d link show` + filter on index.</summary>
    public NetNsLink GetLink(int index)
    {
        var m = GetLinkMessage(index, null, index.ToString(System.Globalization.CultureInfo.InvariantCulture), withCounters: true);
        return ToLink(m, null, new PeerResolver(this));
    }

    /// <summary>A link by name, or null when there is none.</summary>
    public NetNsLink? FindLink(string name)
    {
        Names.CheckInterfaceName(name, "find link");
        return DumpLinks(withCounters: true).FirstOrDefault(l => l.Name == name) is { } m ? ToLink(m, null, new PeerResolver(this)) : null;
    }

    /// <summary>The ifindex of a link; LinkNotFound when there is none.</summary>
    public int GetLinkIndex(string name) => GetLinkMessage(name).Index;

    /// <summary>
    /// Every link's message. Without <paramref name="withCounters"/> the request carries RTEXT_FILTER_SKIP_STATS,
    /// for callers that need names, kinds, masters and labels, not the counters a <see cref="NetNsLink"/> shows:
    /// the kernel leaves out the inet6 statistics (6.18: a lo + veth dump 5948 → 4476 bytes; IFLA_STATS64 still
    /// comes, so the counters parsed are right either way).
    /// </summary>
    internal List<LinkMessage> DumpLinks(bool withCounters = false)
    {
        var req = new MessageWriter(MessageType.GetLink, NetlinkFlags.Dump);
        req.Struct(new IfInfoMsg());
        if (!withCounters)
            req.U32(Ifla.ExtMask, Ifla.ExtFilterSkipStats);
        return _socket.Query<LinkMessage>(req, LinkMessage.Parse, Context("list links", ObjectKind.Link, null));
    }

    /// <summary>One link's message by name; <paramref name="withCounters"/> as in <see cref="DumpLinks"/>.</summary>
    internal LinkMessage GetLinkMessage(string name, bool withCounters = false)
    {
        Names.CheckInterfaceName(name, "get link");
        var req = new MessageWriter(MessageType.GetLink, NetlinkFlags.None);
        req.Struct(new IfInfoMsg());
        req.String(Ifla.IfName, name);
        if (!withCounters)
            req.U32(Ifla.ExtMask, Ifla.ExtFilterSkipStats);
        return Single(_socket.Query<LinkMessage>(req, LinkMessage.Parse, Context("get", ObjectKind.Link, name)), name);
    }

    private LinkMessage GetLinkMessage(int index, int? targetNsId, string target, bool withCounters = false)
    {
        var req = new MessageWriter(MessageType.GetLink, NetlinkFlags.None);
        req.Struct(new IfInfoMsg { Index = index });
        if (targetNsId is int nsid)
            req.S32(IflaTargetNetNsId, nsid);
        if (!withCounters)
            req.U32(Ifla.ExtMask, Ifla.ExtFilterSkipStats);
        return Single(_socket.Query<LinkMessage>(req, LinkMessage.Parse, Context("get", ObjectKind.Link, target)), target);
    }

    private LinkMessage Single(List<LinkMessage> found, string target) => found.Count > 0
        ? found[0]
        : throw NetNsException.FromErrno("get", Interop.Errno.ENODEV, ObjectKind.Link, target, NamespaceName);

    private NetNsLink ToLink(LinkMessage m, Dictionary<int, string>? names, PeerResolver resolver)
    {
        string? NameOf(int index)
        {
            if (index <= 0)
                return null;
            if (names is not null)
                return names.GetValueOrDefault(index);
            try
            {
                return GetLinkMessage(index, null, index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Name;
            }
            catch (NetNsException)
            {
                return null;
            }
        }

        bool isVeth = m.Kind == "veth";
        bool hasLink = m.Link > 0 && (m.Link != m.Index || m.LinkNetNsId is not null);
        string? peerName = null, peerNs = NamespaceName, parent = null;
        if (isVeth && hasLink)
        {
            if (m.LinkNetNsId is int nsid)
                (peerName, peerNs) = resolver.Peer(nsid, m.Link);
            else
                peerName = NameOf(m.Link);
        }
        else if (hasLink && m.LinkNetNsId is null)
        {
            parent = NameOf(m.Link);
        }
        return new NetNsLink
        {
            Name = m.Name,
            InterfaceIndex = m.Index,
            Namespace = NamespaceName,
            Kind = m.KindName,
            State = (m.Flags & Iff.Up) != 0 ? LinkState.Up : LinkState.Down,
            OperationalState = m.OperStateName,
            Flags = m.FlagList,
            Mtu = m.Mtu,
            MacAddress = m.MacText,
            Master = NameOf(m.Master),
            MasterIndex = m.Master > 0 ? m.Master : null,
            Parent = parent,
            VlanId = m.VlanId,
            PeerName = isVeth ? peerName : null,
            PeerNamespace = isVeth && hasLink ? peerNs : null,
            PeerIfIndex = isVeth && hasLink ? m.Link : null,
            PeerNamespaceId = isVeth ? m.LinkNetNsId : null,
            RxPackets = m.RxPackets,
            TxPackets = m.TxPackets,
            RxBytes = m.RxBytes,
            TxBytes = m.TxBytes,
            RxErrors = m.RxErrors,
            TxErrors = m.TxErrors,
            RxDropped = m.RxDropped,
            TxDropped = m.TxDropped,
            Alias = string.IsNullOrEmpty(m.Alias) ? null : m.Alias,
        };
    }
}
