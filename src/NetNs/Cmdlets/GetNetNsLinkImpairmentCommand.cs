using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Shows how a link is impaired: rate, delay, jitter, loss and the rest, and whether it is partitioned
/// (`tc qdisc show dev LINK`, `nft list table netdev netns`). Without -Name, every impaired link of the namespace.
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetNsLinkImpairment")]
[OutputType(typeof(NetNsLinkImpairment))]
public sealed class GetNetNsLinkImpairmentCommand : NetNsCmdlet
{
    /// <summary>The namespace; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>The link; every link that has an impairment when omitted.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("InterfaceAlias")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    [ObjectNameTransformation("Namespace", "Name", "InterfaceAlias")]
    public string? Name { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        Try(Name ?? Namespace?.ToString(), () =>
        {
            var rtnl = Rtnl(Namespace);
            if (Name is not null)
            {
                WriteObject(LinkShaper.Get(rtnl, Name));
                return;
            }
            foreach (var link in rtnl.GetLinks())
            {
                var imp = LinkShaper.Get(rtnl, link.Name);
                if (!imp.IsEmpty)
                    WriteObject(imp);
            }
        });
    }
}
