using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Creates a lab network in a namespace, like `docker network create`: a bridge with the subnets' gateway
/// addresses, forwarding on and, with -Nat, masquerading out of -Uplink.
/// </summary>
[Cmdlet(VerbsCommon.New, "NetNsNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(NetNsNetwork))]
public sealed class NewNetNsNetworkCommand : NetNsCmdlet
{
    /// <summary>The network's name, also its bridge's (at most 15 bytes).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The subnets: one IPv4 and/or one IPv6 network prefix (198.18.10.0/24, 2001:db8:10::/64).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Subnet { get; set; } = [];

    /// <summary>The namespace to hold the bridge (the router). Required: NetNs changes the caller's own firewall or sysctls only when it is named (-Namespace $PID).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef Namespace { get; set; } = NamespaceRef.Current;

    /// <summary>Masquerade the subnets out of -Uplink.</summary>
    [Parameter]
    public SwitchParameter Nat { get; set; }

    /// <summary>The link NAT goes out of, in the network's namespace.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string? Uplink { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem() => Try(Name, () =>
    {
        var subnets = Subnet.Select(s => IPPrefix.Parse(s)).ToList();
        string nat = Nat ? $", NAT out of {Uplink}" : "";
        if (!ShouldChange(Describe(Name, Namespace), $"Create network {string.Join(", ", subnets)}{nat}"))
            return;
        using var networks = NetworksOf(Namespace);
        WriteObject(networks.Create(new NetworkSpec { Name = Name, Subnets = subnets, Nat = Nat, Uplink = Uplink }));
    });
}
