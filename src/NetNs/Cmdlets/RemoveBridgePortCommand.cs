using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Releases links from their bridge (`ip link set NAME nomaster`).</summary>
[Cmdlet(VerbsCommon.Remove, "BridgePort", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveBridgePortCommand : NetNsCmdlet
{
    /// <summary>The port links; wildcards match the ports (of -Bridge, or of every bridge).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [Alias("InterfaceAlias")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    [ObjectNameTransformation("Namespace", "Name")]
    public string[] Name { get; set; } = [];

    /// <summary>Only release them if they belong to this bridge.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(BridgeNameCompleter))]
    public string? Bridge { get; set; }

    /// <summary>The namespace; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        foreach (string name in ExpandNames(Name, () => Rtnl(Namespace).GetBridgePorts(Bridge).Select(p => p.Name)))
        {
            if (ShouldChange(Describe(name, Namespace), Bridge is null ? "Remove from its bridge" : $"Remove from bridge '{Bridge}'"))
                Try(name, () => Rtnl(Namespace).RemoveBridgePort(name, Bridge));
        }
    }
}
