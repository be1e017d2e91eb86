namespace NetNs.Core;

/// <summary>A route in a namespace's main table (`ip route`), named the NetTCPIP way.</summary>
public sealed class NetNsRoute
{
    /// <summary>Destination prefix, e.g. "198.18.1.0/24", or "0.0.0.0/0" / "::/0" for the default route.</summary>
    public string DestinationPrefix { get; init; } = "";

    /// <summary>Gateway address, or "0.0.0.0" / "::" for a route on the link itself (as NetTCPIP shows it).</summary>
    public string NextHop { get; init; } = "";

    /// <summary>Output link's name; null when the route has none.</summary>
    public string? InterfaceAlias { get; init; }

    /// <summary>Output link's ifindex, or 0.</summary>
    public int InterfaceIndex { get; init; }

    /// <summary>Metric (RTA_PRIORITY).</summary>
    public uint RouteMetric { get; init; }

    /// <summary>IPv4 or IPv6.</summary>
    public IPAddressFamily AddressFamily { get; init; }

    /// <summary>The namespace; null for the caller's own.</summary>
    public string? Namespace { get; init; }

    /// <summary>Who added it: kernel, boot, static, dhcp, ra, or a number.</summary>
    public string Protocol { get; init; } = "";

    /// <summary>Scope: global, link, host, or a number.</summary>
    public string Scope { get; init; } = "";

    /// <summary>Preferred source address (RTA_PREFSRC), if any.</summary>
    public string? PreferredSource { get; init; }

    /// <summary>Routing table id (254 is main).</summary>
    public int Table { get; init; }

    /// <summary>This route with its output link's name filled in.</summary>
    internal NetNsRoute WithInterfaceAlias(string? name) => new()
    {
        DestinationPrefix = DestinationPrefix,
        NextHop = NextHop,
        InterfaceAlias = name,
        InterfaceIndex = InterfaceIndex,
        RouteMetric = RouteMetric,
        AddressFamily = AddressFamily,
        Namespace = Namespace,
        Protocol = Protocol,
        Scope = Scope,
        PreferredSource = PreferredSource,
        Table = Table,
    };

    /// <summary>"DESTINATION via NEXTHOP dev LINK".</summary>
    public override string ToString() =>
        DestinationPrefix + (NextHop is "0.0.0.0" or "::" ? "" : " via " + NextHop) + (InterfaceAlias is null ? "" : " dev " + InterfaceAlias);
}
