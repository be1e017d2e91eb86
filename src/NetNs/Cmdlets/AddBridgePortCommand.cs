using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Enslaves links to a bridge (`ip link set NAME master BRIDGE`).</summary>
[Cmdlet(VerbsCommon.Add, "BridgePort", SupportsShouldProcess = true)]
[OutputType(typeof(BridgePort))]
public sealed class AddBridgePortCommand : NetNsCmdlet
{
    /// <summary>The bridge.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BridgeNameCompleter))]
    public string Bridge { get; set; } = "";

    /// <summary>The links to add as ports (binds the Name of New-VethPair or Get-NetNsLink output).</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    [Alias("InterfaceAlias")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    [ObjectNameTransformation("Namespace", "Name")]
    public string[] Name { get; set; } = [];

    /// <summary>Namespace of the bridge and the links; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>Write the new ports to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        foreach (string name in Name)
        {
            if (!ShouldChange(Describe(name, Namespace), $"Add to bridge '{Bridge}'"))
                continue;
            Try(name, () =>
            {
                if (PassThru)
                    WriteObject(Rtnl(Namespace).AddBridgePort(Bridge, name));
                else
                    Rtnl(Namespace).JoinBridge(Bridge, name); // no read-back nobody asked for
            });
        }
    }
}
