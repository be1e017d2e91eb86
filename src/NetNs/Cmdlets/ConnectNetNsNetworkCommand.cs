using System.Management.Automation;
using System.Net;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Connects namespaces to a lab network: a veth pair on the bridge, the namespace end named eth0 (or
/// -InterfaceAlias), lo and eth0 up, the given or the next free addresses, a default route via each gateway.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "NetNsNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(NetNsNetworkMember))]
public sealed class ConnectNetNsNetworkCommand : NetNsCmdlet
{
    /// <summary>The network's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ObjectNameTransformation("NetworkNamespace", "Network", "Name", NamespaceProperties = ["NetworkNamespace", "Namespace"])]
    public string Network { get; set; } = "";

    /// <summary>The namespace to connect (a name, a namespace file, a PID or a NetNs object from the pipeline).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef Namespace { get; set; } = NamespaceRef.Current;

    /// <summary>The namespace holding the network (the router); the caller's own when omitted.</summary>
    [Parameter]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? NetworkNamespace { get; set; }

    /// <summary>Addresses to take (at most one per subnet family); the next free ones when omitted.</summary>
    [Parameter]
    [StrictAddress]
    public IPAddress[]? IPAddress { get; set; }

    /// <summary>The interface's name inside the namespace.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string InterfaceAlias { get; set; } = "eth0";

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        string where = NetworkNamespace is null ? "" : $" in namespace '{NetworkNamespace}'";
        if (!ShouldChange($"namespace '{Namespace}' as {InterfaceAlias}", $"Connect to network '{Network}'{where}"))
            return;
        Try(Namespace.ToString(), () =>
        {
            using var member = Namespace.Open();
            using var networks = NetworksOf(NetworkNamespace ?? NamespaceRef.Current);
            WriteObject(networks.Connect(Network, member, IPAddress, InterfaceAlias));
        });
    }
}
