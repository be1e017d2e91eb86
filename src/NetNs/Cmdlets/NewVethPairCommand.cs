using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Creates a veth pair with both ends named and placed in their namespaces in one call
/// (`ip link add NAME type veth peer name PEER netns NS`), optionally with MTU, MACs, and up.
/// </summary>
[Cmdlet(VerbsCommon.New, "VethPair", SupportsShouldProcess = true)]
[OutputType(typeof(VethPair))]
public sealed class NewVethPairCommand : NetNsCmdlet
{
    /// <summary>Name of the first end (created in -Namespace).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Name of the other end (created in -PeerNamespace).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string PeerName { get; set; } = "";

    /// <summary>Namespace of the first end: a name, a namespace file, a PID or a NetNs object; the caller's own when omitted.</summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>Namespace of the other end; the first end's when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? PeerNamespace { get; set; }

    /// <summary>MTU of both ends.</summary>
    [Parameter]
    [ValidateRange(68, 65535)]
    public int Mtu { get; set; }

    /// <summary>MAC address of the first end.</summary>
    [Parameter]
    public string? MacAddress { get; set; }

    /// <summary>MAC address of the other end.</summary>
    [Parameter]
    public string? PeerMacAddress { get; set; }

    /// <summary>Bring both ends up.</summary>
    [Parameter]
    public SwitchParameter Up { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        string target = $"{Describe(Name, Namespace)} <-> {Describe(PeerName, PeerNamespace ?? Namespace)}";
        if (!ShouldChange(target, "Create veth pair"))
            return;
        Try(null, () => // the error names its own target: this end, or the peer when the peer's name is the one taken
        {
            using var peerNs = PeerNamespace is null ? null
                : PeerNamespace.Kind == NamespaceRefKind.Current ? NamespaceHandle.OpenCurrent() : PeerNamespace.Open();
            WriteObject(Rtnl(Namespace).CreateVeth(new VethSpec
            {
                Name = Name,
                PeerName = PeerName,
                PeerNamespace = peerNs,
                Mtu = MyInvocation.BoundParameters.ContainsKey(nameof(Mtu)) ? Mtu : null,
                MacAddress = MacAddress,
                PeerMacAddress = PeerMacAddress,
                Up = Up,
            }));
        });
    }
}
