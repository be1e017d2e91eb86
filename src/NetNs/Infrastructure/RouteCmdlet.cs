using System.Management.Automation;
using System.Net;
using NetNs.Core;

namespace NetNs;

/// <summary>
/// The parameters New-NetNsRoute and Remove-NetNsRoute share — a route as NetTCPIP names it, binding by
/// property name from Get-NetNsRoute output — and the <see cref="RouteSpec"/> they describe.
/// </summary>
public abstract class RouteCmdlet : NetNsCmdlet
{
    /// <summary>Destination: "198.18.1.0/24", "2001:db8:1::/64", or "default" (0.0.0.0/0; ::/0 with an IPv6 -NextHop).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ObjectNameTransformation("Namespace", "DestinationPrefix")]
    public string DestinationPrefix { get; set; } = "";

    /// <summary>Gateway address; omitted (or 0.0.0.0 / ::) for a route straight out of -InterfaceAlias.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Gateway")]
    public string? NextHop { get; set; }

    /// <summary>Output link.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string? InterfaceAlias { get; set; }

    /// <summary>Metric.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public uint RouteMetric { get; set; }

    /// <summary>The namespace; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>The route the parameters describe; InvalidArgument for a malformed prefix or next hop (rules in RouteSpec.FromText).</summary>
    protected RouteSpec Spec() => RouteSpec.FromText(DestinationPrefix, NextHop, InterfaceAlias,
        MyInvocation.BoundParameters.ContainsKey(nameof(RouteMetric)) ? RouteMetric : null);
}
