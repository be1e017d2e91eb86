using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Deletes links (`ip link delete`); deleting one end of a veth deletes both.</summary>
[Cmdlet(VerbsCommon.Remove, "NetNsLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetNsLinkCommand : NetNsCmdlet
{
    /// <summary>Links to delete; wildcards match the namespace's links.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [Alias("InterfaceAlias")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    [ObjectNameTransformation("Namespace", "Name")]
    public string[] Name { get; set; } = [];

    /// <summary>Their namespace; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        foreach (string name in ExpandNames(Name, () => Rtnl(Namespace).GetLinks().Select(l => l.Name)))
        {
            if (ShouldChange(Describe(name, Namespace), "Remove link"))
                Try(name, () => Rtnl(Namespace).DeleteLink(name));
        }
    }
}
