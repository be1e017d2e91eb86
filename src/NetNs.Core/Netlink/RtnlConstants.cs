namespace NetNs.Core.Netlink;

/// <summary>IFLA_* link attributes (linux/if_link.h).</summary>
internal static class Ifla
{
    public const ushort Address = 1;
    public const ushort Broadcast = 2;
    public const ushort IfName = 3;
    /// <summary>IFLA_QDISC: the kind of the link's root qdisc ("noqueue" for a veth left alone).</summary>
    public const ushort Qdisc = 6;
    public const ushort Mtu = 4;
    public const ushort Link = 5;
    public const ushort Master = 10;
    public const ushort OperState = 16;
    /// <summary>IFLA_IFALIAS: a free-text label of up to 255 bytes (IFALIASZ - 1), `ip link set NAME alias TEXT`.</summary>
    public const ushort IfAlias = 20;
    public const ushort Stats64 = 23;
    public const ushort LinkInfo = 18;
    public const ushort NetNsPid = 19;
    public const ushort NetNsFd = 28;
    /// <summary>IFLA_EXT_MASK: RTEXT_FILTER_* bits that shape what a GETLINK answer carries.</summary>
    public const ushort ExtMask = 29;
    public const ushort LinkNetNsId = 37;
    public const ushort NewNetNsId = 45;

    /// <summary>RTEXT_FILTER_SKIP_STATS (linux/rtnetlink.h): leave out the per-protocol (inet6) statistics of a link.</summary>
    public const uint ExtFilterSkipStats = 1 << 3;

    /// <summary>IFLA_INFO_* inside IFLA_LINKINFO.</summary>
    public const ushort InfoKind = 1;
    public const ushort InfoData = 2;
    public const ushort InfoSlaveKind = 4;

    /// <summary>VETH_INFO_PEER (linux/veth.h) inside IFLA_INFO_DATA.</summary>
    public const ushort VethInfoPeer = 1;

    /// <summary>IFLA_VLAN_ID (linux/if_link.h) inside IFLA_INFO_DATA.</summary>
    public const ushort VlanId = 1;

    /// <summary>IFLA_MACVLAN_MODE inside IFLA_INFO_DATA.</summary>
    public const ushort MacvlanMode = 1;
}

/// <summary>IFA_* address attributes (linux/if_addr.h) and flags.</summary>
internal static class Ifa
{
    public const ushort Address = 1;
    public const ushort Local = 2;
    public const ushort Label = 3;
    public const ushort Broadcast = 4;
    public const ushort CacheInfo = 6;
    public const ushort Flags = 8;

    public const uint FSecondary = 0x01;
    public const uint FNoDad = 0x02;
    public const uint FDadFailed = 0x08;
    public const uint FHomeAddress = 0x10;
    public const uint FDeprecated = 0x20;
    public const uint FTentative = 0x40;
    public const uint FPermanent = 0x80;
    public const uint FNoPrefixRoute = 0x200;
}

/// <summary>RTA_* route attributes (linux/rtnetlink.h) and rtmsg field values.</summary>
internal static class Rta
{
    public const ushort Dst = 1;
    public const ushort Src = 2;
    public const ushort Iif = 3;
    public const ushort Oif = 4;
    public const ushort Gateway = 5;
    public const ushort Priority = 6;
    public const ushort PrefSrc = 7;
    public const ushort Table = 15;

    public const byte TableMain = 254;
    public const byte TableLocal = 255;
    public const byte ProtoBoot = 3;
    public const byte ScopeUniverse = 0;
    public const byte ScopeLink = 253;
    public const byte ScopeHost = 254;
    public const byte TypeUnicast = 1;
}

/// <summary>NETNSA_* attributes for RTM_*NSID (linux/net_namespace.h).</summary>
internal static class NetNsA
{
    public const ushort NsId = 1;
    public const ushort Pid = 2;
    public const ushort Fd = 3;
}

/// <summary>net_device flags (linux/if.h).</summary>
internal static class Iff
{
    public const uint Up = 0x1;
    public const uint Broadcast = 0x2;
    public const uint Loopback = 0x8;
    public const uint PointToPoint = 0x10;
    public const uint Running = 0x40;
    public const uint NoArp = 0x80;
    public const uint Promisc = 0x100;
    public const uint Multicast = 0x1000;
    public const uint LowerUp = 0x10000;
}
