using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Adds a route to a namespace's main table (`ip route add`, or `ip route replace` with -Replace).</summary>
[Cmdlet(VerbsCommon.New, "NetNsRoute", SupportsShouldProcess = true)]
[OutputType(typeof(NetNsRoute))]
public sealed class NewNetNsRouteCommand : RouteCmdlet
{
    /// <summary>Replace an existing route to the same destination instead of failing with RouteExists.</summary>
    [Parameter]
    public SwitchParameter Replace { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem() => Try(DestinationPrefix, () =>
    {
        var spec = Spec();
        if (!ShouldChange(Describe(spec.Destination.Network.ToString(), Namespace), Replace ? "Replace route" : "Add route"))
            return;
        WriteObject(Rtnl(Namespace).CreateRoute(spec, Replace)); // the kernel's echo of the route: no dump
    });
}
