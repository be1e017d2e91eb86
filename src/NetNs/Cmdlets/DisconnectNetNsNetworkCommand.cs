using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Disconnects namespaces from a lab network: their veth pair goes, with its addresses and routes.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "NetNsNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class DisconnectNetNsNetworkCommand : NetNsCmdlet
{
    /// <summary>The network's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ObjectNameTransformation("NetworkNamespace", "Network", "Name", NamespaceProperties = ["NetworkNamespace", "Namespace"])]
    public string Network { get; set; } = "";

    /// <summary>The namespace to disconnect.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef Namespace { get; set; } = NamespaceRef.Current;

    /// <summary>The namespace holding the network (the router); the caller's own when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? NetworkNamespace { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        string where = NetworkNamespace is null ? "" : $" in namespace '{NetworkNamespace}'";
        if (!ShouldChange($"namespace '{Namespace}'", $"Disconnect from network '{Network}'{where}"))
            return;
        Try(Namespace.ToString(), () =>
        {
            using var member = Namespace.Open();
            using var networks = NetworksOf(NetworkNamespace ?? NamespaceRef.Current);
            networks.Disconnect(Network, member);
        });
    }
}
