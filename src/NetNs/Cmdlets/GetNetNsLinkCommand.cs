using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Lists the links of a namespace (`ip -d link show`), with veth peers, masters and parents resolved.</summary>
[Cmdlet(VerbsCommon.Get, "NetNsLink")]
[OutputType(typeof(NetNsLink))]
public sealed class GetNetNsLinkCommand : NetNsCmdlet
{
    /// <summary>Link names; wildcards allowed. All when omitted.</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [Alias("InterfaceAlias")]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Namespace to look in (a name, a namespace file, a PID, or a NetNs object from the pipeline); the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>Only links of these kinds (veth, bridge, dummy, vlan, macvlan, loopback, device).</summary>
    [Parameter]
    [SupportsWildcards]
    public string[]? Kind { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Try(Namespace?.ToString(), () =>
    {
        var links = Rtnl(Namespace).GetLinks();
        if (Kind is { Length: > 0 })
        {
            var kind = Wildcards.AnyOf(Kind, WildcardOptions.IgnoreCase);
            links = links.Where(l => kind(l.Kind)).ToList();
        }
        WriteMatching(links, Name, WildcardOptions.None, (l, w, _) => w.IsMatch(l.Name),
            name => NetNsException.NotFound(ObjectKind.Link, name, Namespace?.ToString()));
    });
}
