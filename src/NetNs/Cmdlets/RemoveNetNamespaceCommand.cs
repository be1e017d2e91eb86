using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Removes named network namespaces (`ip netns delete`).</summary>
[Cmdlet(VerbsCommon.Remove, "NetNamespace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetNamespaceCommand : NetNsCmdlet
{
    /// <summary>Names of the namespaces to remove; wildcards match the names under /run/netns.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (string name in ExpandNames(Name, NamedNamespaces.ListNames))
        {
            if (ShouldChange(name, "Remove network namespace"))
                Try(name, () => NamedNamespaces.Delete(name));
        }
    }
}
