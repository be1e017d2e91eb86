using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Lists the routes of a namespace's main table (`ip route show`, `ip -6 route show`).</summary>
[Cmdlet(VerbsCommon.Get, "NetNsRoute")]
[OutputType(typeof(NetNsRoute))]
public sealed class GetNetNsRouteCommand : NetNsCmdlet
{
    /// <summary>Only these destinations (wildcards allowed; "default" matches 0.0.0.0/0 and ::/0).</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    public string[]? DestinationPrefix { get; set; }

    /// <summary>The namespace (a name, a namespace file, a PID, or a NetNs object from the pipeline); the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>Only IPv4 or only IPv6.</summary>
    [Parameter]
    public IPAddressFamily? AddressFamily { get; set; }

    /// <summary>Only routes out of these links.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string[]? InterfaceAlias { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Try(Namespace?.ToString(), () =>
    {
        IEnumerable<NetNsRoute> routes = Rtnl(Namespace).GetRoutes(AddressFamily);
        if (DestinationPrefix is { Length: > 0 })
        {
            var destination = Wildcards.AnyOf(DestinationPrefix
                .SelectMany(RouteSpec.DestinationTexts),
                WildcardOptions.IgnoreCase);
            routes = routes.Where(r => destination(r.DestinationPrefix));
        }
        if (InterfaceAlias is { Length: > 0 })
        {
            var link = Wildcards.AnyOf(InterfaceAlias, WildcardOptions.None);
            routes = routes.Where(r => link(r.InterfaceAlias));
        }
        WriteObject(routes, enumerateCollection: true);
    });
}
