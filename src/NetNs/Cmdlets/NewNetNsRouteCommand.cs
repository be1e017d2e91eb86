using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Adds a route to a namespace's main table (`ip route add`, or `ip route replace` with -Replace).</summary>
[Cmdlet(VerbsCommon.New, "NetNsRoute", SupportsShouldProcess = true)]
[OutputType(typeof(NetNsRoute))]
public sealed class NewNetNsRouteCommand : NetNsCmdlet
{
    /// <summary>Destination: "198.18.1.0/24", "2001:db8:1::/64", or "default" (0.0.0.0/0; ::/0 with an IPv6 -NextHop).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string DestinationPrefix { get; set; } = "";

    /// <summary>Gateway address; omit (or 0.0.0.0 / ::) for a route straight out of -InterfaceAlias.</summary>
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
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>Replace an existing route to the same destination instead of failing with RouteExists.</summary>
    [Parameter]
    public SwitchParameter Replace { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Try(DestinationPrefix, () =>
    {
        uint? metric = MyInvocation.BoundParameters.ContainsKey(nameof(RouteMetric)) ? RouteMetric : null;
        var spec = RouteInput.Spec(DestinationPrefix, NextHop, InterfaceAlias, metric);
        if (!ShouldProcess(Describe(spec.Destination.Network.ToString(), Namespace), Replace ? "Replace route" : "Add route"))
            return;
        var rtnl = Rtnl(Namespace);
        if (Replace)
            rtnl.ReplaceRoute(spec);
        else
            rtnl.AddRoute(spec);
        WriteObject(rtnl.FindRoutes(spec), enumerateCollection: true);
    });
}
