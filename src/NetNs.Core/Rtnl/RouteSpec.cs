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

    /// <summary>The gateway when it is a real one (not 0.0.0.0 or ::).</summary>
    internal IPAddress? RealGateway =>
        Gateway is null || Gateway.Equals(IPAddress.Any) || Gateway.Equals(IPAddress.IPv6Any) ? null : Gateway;
}
