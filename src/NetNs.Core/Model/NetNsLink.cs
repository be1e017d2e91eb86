namespace NetNs.Core;

/// <summary>Administrative state of a link: whether IFF_UP is set (`ip link set … up|down`).</summary>
public enum LinkState
{
    /// <summary>IFF_UP is clear.</summary>
    Down,
    /// <summary>IFF_UP is set.</summary>
    Up,
}

/// <summary>A network interface in a namespace, as `ip -d link show` describes it. Holds no descriptor.</summary>
public sealed class NetNsLink
{
    /// <summary>Interface name (what NetTCPIP calls InterfaceAlias).</summary>
    public string Name { get; init; } = "";

    /// <summary>ifindex, unique within its namespace.</summary>
    public int InterfaceIndex { get; init; }

    /// <summary>The name again, as NetTCPIP calls it: binds by property name into -InterfaceAlias of the address and route cmdlets.</summary>
    public string InterfaceAlias => Name;

    /// <summary>The ifindex again, under NetTCPIP's name.</summary>
#pragma warning disable IDE1006 // NetTCPIP's spelling
    public int ifIndex => InterfaceIndex;
#pragma warning restore IDE1006

    /// <summary>The namespace it is in, as the user named it; null for the caller's own namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>IFLA_INFO_KIND ("veth", "bridge", "dummy", "vlan", "macvlan" …), "loopback", or "device".</summary>
    public string Kind { get; init; } = "";

    /// <summary>Administrative state (IFF_UP).</summary>
    public LinkState State { get; init; }

    /// <summary>The kernel's operational state (IFLA_OPERSTATE): UP, DOWN, UNKNOWN, LOWERLAYERDOWN, ….</summary>
    public string OperationalState { get; init; } = "";

    /// <summary>Interface flags as `ip link` prints them (UP, BROADCAST, MULTICAST, LOWER_UP, …).</summary>
    public string[] Flags { get; init; } = [];

    /// <summary>MTU in bytes.</summary>
    public int Mtu { get; init; }

    /// <summary>Link-layer address, lower-case, colon-separated; null when the link has none.</summary>
    public string? MacAddress { get; init; }

    /// <summary>The link's alias (IFLA_IFALIAS, `ip link set NAME alias TEXT`), null when it has none.</summary>
    public string? Alias { get; init; }

    /// <summary>Name of the bridge (or other master) it is enslaved to, else null.</summary>
    public string? Master { get; init; }

    /// <summary>ifindex of the master, else null.</summary>
    public int? MasterIndex { get; init; }

    /// <summary>For vlan and macvlan: the parent link's name (IFLA_LINK), else null.</summary>
    public string? Parent { get; init; }

    /// <summary>For vlan: the VLAN id.</summary>
    public int? VlanId { get; init; }

    /// <summary>For veth: the other end's name.</summary>
    public string? PeerName { get; init; }

    /// <summary>
    /// For veth: the namespace of the other end, by name when it has one; null when it is the caller's own
    /// namespace or cannot be named (see <see cref="PeerNamespaceId"/>).
    /// </summary>
    public string? PeerNamespace { get; init; }

    /// <summary>For veth: the other end's ifindex (in its own namespace).</summary>
    public int? PeerIfIndex { get; init; }

    /// <summary>For veth whose peer is in another namespace: that namespace's id as seen from this one.</summary>
    public int? PeerNamespaceId { get; init; }

    /// <summary>Packets received (IFLA_STATS64), when the link was read.</summary>
    public ulong RxPackets { get; init; }

    /// <summary>Packets sent.</summary>
    public ulong TxPackets { get; init; }

    /// <summary>Bytes received.</summary>
    public ulong RxBytes { get; init; }

    /// <summary>Bytes sent.</summary>
    public ulong TxBytes { get; init; }

    /// <summary>Receive errors (IFLA_STATS64 rx_errors).</summary>
    public ulong RxErrors { get; init; }

    /// <summary>Transmit errors (tx_errors).</summary>
    public ulong TxErrors { get; init; }

    /// <summary>Packets dropped on receive (rx_dropped: no buffer, a full backlog, an XDP drop …).</summary>
    public ulong RxDropped { get; init; }

    /// <summary>Packets dropped on transmit (tx_dropped; a qdisc's own drops are counted by the qdisc, not here).</summary>
    public ulong TxDropped { get; init; }

    /// <summary>The name, as a user would type it back.</summary>
    public override string ToString() => Name;
}
