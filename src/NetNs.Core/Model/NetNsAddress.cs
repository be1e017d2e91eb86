namespace NetNs.Core;

/// <summary>An IP address on a link (`ip addr`), named the NetTCPIP way.</summary>
public sealed class NetNsAddress
{
    /// <summary>The address, e.g. "198.18.0.1".</summary>
    public string IPAddress { get; init; } = "";

    /// <summary>Prefix length, e.g. 24.</summary>
    public int PrefixLength { get; init; }

    /// <summary>IPv4 or IPv6.</summary>
    public IPAddressFamily AddressFamily { get; init; }

    /// <summary>The link's name.</summary>
    public string InterfaceAlias { get; init; } = "";

    /// <summary>The link's ifindex.</summary>
    public int InterfaceIndex { get; init; }

    /// <summary>The namespace; null for the caller's own.</summary>
    public string? Namespace { get; init; }

    /// <summary>Scope: global, link, host, site, or a number.</summary>
    public string Scope { get; init; } = "";

    /// <summary>Address flags as `ip addr` prints them (permanent, tentative, nodad, secondary …).</summary>
    public string[] Flags { get; init; } = [];

    /// <summary>"ADDRESS/PREFIX", the form Set-NetNsAddress takes back.</summary>
    public override string ToString() => $"{IPAddress}/{PrefixLength}";
}
