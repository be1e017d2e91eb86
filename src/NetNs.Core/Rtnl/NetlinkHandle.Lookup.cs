using System.Net;

namespace NetNs.Core;

public sealed partial class NetlinkHandle
{
    /// <summary>
    /// Removes an address found by value: on <paramref name="linkName"/> or on any link, with
    /// <paramref name="prefixLength"/> or whatever prefix it has. AddressNotFound when nothing matches.
    /// Returns what was removed. Equivalent to: `ip addr del ADDR/LEN dev NAME` after `ip addr show to ADDR`.
    /// </summary>
    public IReadOnlyList<NetNsAddress> RemoveAddress(IPAddress address, int? prefixLength = null, string? linkName = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        string text = address.ToString();
        var matches = GetAddresses(linkName)
            .Where(a => a.IPAddress == text && (prefixLength is null || a.PrefixLength == prefixLength))
            .ToList();
        if (matches.Count == 0)
        {
            string target = prefixLength is null ? text : $"{text}/{prefixLength}";
            throw NetNsException.FromErrno("remove", Interop.Errno.EADDRNOTAVAIL, ObjectKind.Address,
                linkName is null ? target : $"{target}' on '{linkName}", NamespaceName);
        }
        foreach (var a in matches)
            DeleteAddress(a.InterfaceAlias, new IPPrefix(address, a.PrefixLength));
        return matches;
    }

    /// <summary>
    /// The routes of the main table that <paramref name="route"/> describes (same destination, and the same
    /// gateway, link and metric where given).
    /// Equivalent to: `ip route show DEST [via GW] [dev NAME] [metric N]`.
    /// </summary>
    public IReadOnlyList<NetNsRoute> FindRoutes(RouteSpec route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var dest = route.Destination.Network;
        string prefix = dest.ToString();
        string? gw = route.RealGateway?.ToString();
        return GetRoutes(dest.Family)
            .Where(r => r.DestinationPrefix == prefix
                && (gw is null || r.NextHop == gw)
                && (route.InterfaceName is null || r.InterfaceAlias == route.InterfaceName)
                && (route.Metric is null || r.RouteMetric == route.Metric))
            .ToList();
    }
}
