using System.Net;

namespace NetNs.Core;

/// <summary>
/// A NetNs lab network (New-NetNsNetwork): a bridge in a namespace with the gateway addresses of its subnets,
/// forwarding on, optionally masquerading out of an uplink, and the namespaces connected to it. Everything here is
/// read back from the kernel (the bridge's name and IFLA_IFALIAS label, its ports' labels), so any process sees it.
/// </summary>
public sealed class NetNsNetwork
{
    /// <summary>The network's name, which is also its bridge's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The namespace holding the bridge (the router), as the user named it; null for the caller's own.</summary>
    public string? Namespace { get; init; }

    /// <summary>The lab whose Networks entry this is (Deploy-NetNsLab made it); null for one New-NetNsNetwork made.</summary>
    public string? Lab { get; init; }

    /// <summary>The subnets (one IPv4, one IPv6 at most), network prefixes.</summary>
    public IReadOnlyList<IPPrefix> Subnet { get; init; } = [];

    /// <summary>The gateway of each subnet (its first host), on the bridge.</summary>
    public IReadOnlyList<IPAddress> Gateway { get; init; } = [];

    /// <summary>Whether the network masquerades out of <see cref="Uplink"/>.</summary>
    public bool Nat { get; init; }

    /// <summary>The link NAT goes out of, or null.</summary>
    public string? Uplink { get; init; }

    /// <summary>The namespaces connected, with their addresses.</summary>
    public IReadOnlyList<NetNsNetworkMember> Members { get; init; } = [];

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}

/// <summary>A namespace connected to a <see cref="NetNsNetwork"/> (Connect-NetNsNetwork).</summary>
public sealed class NetNsNetworkMember
{
    /// <summary>The network's name.</summary>
    public string Network { get; init; } = "";

    /// <summary>The namespace holding the network's bridge, as the user named it; null for the caller's own.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>The connected namespace, as it was named when connected.</summary>
    public string Namespace { get; init; } = "";

    /// <summary>The interface inside the connected namespace (eth0 unless chosen).</summary>
    public string InterfaceAlias { get; init; } = "";

    /// <summary>The veth end on the bridge, in the network's namespace.</summary>
    public string BridgePort { get; init; } = "";

    /// <summary>The member's addresses, with prefix lengths.</summary>
    public IReadOnlyList<IPPrefix> IPAddress { get; init; } = [];

    /// <summary>"namespace:interface".</summary>
    public override string ToString() => $"{Namespace}:{InterfaceAlias}";
}
