using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Deletes a route from a namespace's main table (`ip route del`).</summary>
[Cmdlet(VerbsCommon.Remove, "NetNsRoute", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetNsRouteCommand : RouteCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessItem() => Try(DestinationPrefix, () =>
    {
        var spec = Spec();
        if (ShouldChange(Describe(spec.Destination.Network.ToString(), Namespace), "Remove route"))
            Rtnl(Namespace).DeleteRoute(spec);
    });
}
