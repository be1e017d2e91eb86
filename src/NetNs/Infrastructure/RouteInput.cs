using System.Net;
using NetNs.Core;

namespace NetNs;

/// <summary>Builds a <see cref="RouteSpec"/> from the route cmdlets' parameters.</summary>
internal static class RouteInput
{
    public static RouteSpec Spec(string destinationPrefix, string? nextHop, string? interfaceAlias, uint? metric)
    {
        IPAddress? gateway = null;
        if (!string.IsNullOrEmpty(nextHop))
        {
            if (!IPAddress.TryParse(nextHop, out gateway) || nextHop.Contains('/') || nextHop.Contains('%'))
                throw NetNsException.Invalid("parse next hop", nextHop, $"'{nextHop}' is not an IPv4 or IPv6 address");
        }
        var family = gateway?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddressFamily.IPv6 : IPAddressFamily.IPv4;
        var destination = IPPrefix.Parse(destinationPrefix, family);
        return new RouteSpec
        {
            Destination = destination,
            Gateway = gateway,
            InterfaceName = string.IsNullOrEmpty(interfaceAlias) ? null : interfaceAlias,
            Metric = metric,
        };
    }
}
