using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Lists bridge ports (`bridge link show`), of one bridge or all.</summary>
[Cmdlet(VerbsCommon.Get, "BridgePort")]
[OutputType(typeof(BridgePort))]
public sealed class GetBridgePortCommand : NetNsCmdlet
{
    /// <summary>The bridge; every bridge's ports when omitted.</summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(BridgeNameCompleter))]
    public string? Bridge { get; set; }

    /// <summary>The namespace; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() =>
        Try(Bridge, () => WriteObject(Rtnl(Namespace).GetBridgePorts(Bridge), enumerateCollection: true));
}
