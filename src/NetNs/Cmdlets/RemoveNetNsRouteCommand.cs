using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Deletes a route from a namespace's main table (`ip route del`).</summary>
[Cmdlet(VerbsCommon.Remove, "NetNsRoute", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetNsRouteCommand : NetNsCmdlet
{
    /// <summary>Destination: a prefix or "default".</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string DestinationPrefix { get; set; } = "";

    /// <summary>Only the route through this gateway.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Gateway")]
    public string? NextHop { get; set; }

    /// <summary>Only the route out of this link.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string? InterfaceAlias { get; set; }

    /// <summary>Only the route with this metric.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public uint RouteMetric { get; set; }

    /// <summary>The namespace; the caller's own when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Try(DestinationPrefix, () =>
    {
        uint? metric = MyInvocation.BoundParameters.ContainsKey(nameof(RouteMetric)) ? RouteMetric : null;
        var spec = RouteInput.Spec(DestinationPrefix, NextHop, InterfaceAlias, metric);
        if (ShouldProcess(Describe(spec.Destination.Network.ToString(), Namespace), "Remove route"))
            Rtnl(Namespace).DeleteRoute(spec);
    });
}
