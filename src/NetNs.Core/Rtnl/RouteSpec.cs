using System.Net;

namespace NetNs.Core;

/// <summary>A route to add, replace or delete in the main table.</summary>
public sealed class RouteSpec
{
    /// <summary>Destination prefix; a /0 prefix is the default route. Host bits are cleared.</summary>
    public required IPPrefix Destination { get; init; }

    /// <summary>Gateway (next hop); null (or 0.0.0.0 / ::) for a route on the link itself.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>Output link; required when there is no gateway.</summary>
    public string? InterfaceName { get; init; }

    /// <summary>Metric (RTA_PRIORITY); null for the kernel's default.</summary>
    public uint? Metric { get; init; }

    /// <summary>
    /// A route from what a user typed, with iproute2's rules: the next hop is a strict address; "default" is the
    /// next hop's family (IPv4 without one); the destination's host bits must be clear. InvalidArgument otherwise.
    /// </summary>
    public static RouteSpec FromText(string destinationPrefix, string? nextHop = null, string? interfaceName = null, uint? metric = null)
    {
        IPAddress? gateway = null;
        if (!string.IsNullOrEmpty(nextHop) && !IPPrefix.TryParseAddress(nextHop, out gateway))
            throw NetNsException.Invalid("parse next hop", nextHop, $"'{nextHop}' is not an IPv4 or IPv6 address");
        var family = gateway?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddressFamily.IPv6 : IPAddressFamily.IPv4;
        var destination = IPPrefix.ParseNetwork(destinationPrefix, family);
        if (gateway is not null && destination.Family != family)
            throw NetNsException.Invalid("parse route", destinationPrefix, $"the next hop {gateway} is not of the destination {destination}'s family");
        return new RouteSpec
        {
            Destination = destination,
            Gateway = gateway,
            InterfaceName = string.IsNullOrEmpty(interfaceName) ? null : interfaceName,
            Metric = metric,
        };
    }

    /// <summary>
    /// What a destination a user typed stands for in route listings: "default" is both default routes
    /// ("0.0.0.0/0" and "::/0", as `ip route show default` and `ip -6 route show default` together); anything else
    /// is itself (a prefix, or a wildcard pattern over prefixes).
    /// </summary>
    public static IEnumerable<string> DestinationTexts(string destination) =>
        string.Equals(destination, "default", StringComparison.OrdinalIgnoreCase) ? ["0.0.0.0/0", "::/0"] : [destination];

    /// <summary>The gateway when it is a real one (not 0.0.0.0 or ::).</summary>
    internal IPAddress? RealGateway =>
        Gateway is null || Gateway.Equals(IPAddress.Any) || Gateway.Equals(IPAddress.IPv6Any) ? null : Gateway;
}
