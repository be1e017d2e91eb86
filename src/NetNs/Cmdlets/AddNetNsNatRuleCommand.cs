using System.Management.Automation;
using System.Net;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Adds a masquerade, forward-accept or port-forward rule to NetNs's nftables table in a namespace
/// (`iptables -t nat -A POSTROUTING -s P -o IF -j MASQUERADE`, `iptables -A FORWARD -i IF -j ACCEPT`,
/// `iptables -t nat -A PREROUTING -p tcp --dport N -j DNAT --to A:M`), in-process through libnftables.
/// </summary>
[Cmdlet(VerbsCommon.Add, "NetNsNatRule", SupportsShouldProcess = true, DefaultParameterSetName = MasqueradeSet)]
[OutputType(typeof(NetNsNatRule))]
public sealed class AddNetNsNatRuleCommand : NetNsCmdlet
{
    /// <summary>Parameter set of -Masquerade.</summary>
    public const string MasqueradeSet = "Masquerade";
    /// <summary>Parameter set of -ForwardAccept.</summary>
    public const string ForwardAcceptSet = "ForwardAccept";
    /// <summary>Parameter set of -PortForward.</summary>
    public const string PortForwardSet = "PortForward";

    /// <summary>The namespace whose ruleset gets the rule (the router). Required: NetNs changes the caller's own firewall or sysctls only when it is named (-Namespace $PID).</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef Namespace { get; set; } = NamespaceRef.Current;

    /// <summary>Masquerade packets from -SourcePrefix leaving by -OutputInterface.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MasqueradeSet)]
    public SwitchParameter Masquerade { get; set; }

    /// <summary>Accept forwarded packets coming in on -InputInterface and/or going out of -OutputInterface.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ForwardAcceptSet)]
    public SwitchParameter ForwardAccept { get; set; }

    /// <summary>Forward -Protocol -Port to -ToAddress (and -ToPort).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PortForwardSet)]
    public SwitchParameter PortForward { get; set; }

    /// <summary>Source addresses to masquerade, as a prefix (198.18.10.0/24); any when omitted.</summary>
    [Parameter(ParameterSetName = MasqueradeSet)]
    public string? SourcePrefix { get; set; }

    /// <summary>The interface packets come in on (forward-accept, port-forward); any when omitted.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string? InputInterface { get; set; }

    /// <summary>The interface packets leave by (masquerade, forward-accept); any when omitted.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string? OutputInterface { get; set; }

    /// <summary>tcp or udp.</summary>
    [Parameter(ParameterSetName = PortForwardSet)]
    [ValidateSet("tcp", "udp")]
    public string Protocol { get; set; } = "tcp";

    /// <summary>The port to forward.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PortForwardSet)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <summary>The inner address the port goes to.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PortForwardSet)]
    [StrictAddress]
    public IPAddress ToAddress { get; set; } = IPAddress.None;

    /// <summary>The inner port; the same as -Port when omitted.</summary>
    [Parameter(ParameterSetName = PortForwardSet)]
    [ValidateRange(1, 65535)]
    public int ToPort { get; set; }

    /// <summary>Only packets addressed to this address of the router; any of its addresses when omitted.</summary>
    [Parameter(ParameterSetName = PortForwardSet)]
    [StrictAddress]
    public IPAddress? DestinationAddress { get; set; }

    /// <summary>Write the rule added.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        string what = ParameterSetName switch
        {
            MasqueradeSet => $"masquerade {SourcePrefix ?? "any source"} out of {OutputInterface ?? "any interface"}",
            ForwardAcceptSet => $"forward-accept in {InputInterface ?? "any"} out {OutputInterface ?? "any"}",
            _ => $"port-forward {Protocol}/{Port} to {ToAddress}:{(ToPort > 0 ? ToPort : Port)}",
        };
        Try(Namespace.ToString(), () =>
        {
            // Input is checked before -WhatIf/-Confirm asks anything, so a bad prefix is one clear error.
            IPPrefix? source = SourcePrefix is null ? null : IPPrefix.Parse(SourcePrefix);
            if (ParameterSetName == PortForwardSet && OutputInterface is not null)
                throw NetNsException.Invalid(MyInvocation.MyCommand.Name, OutputInterface, "-OutputInterface does not apply to -PortForward (use -InputInterface)");
            if (ParameterSetName == MasqueradeSet && InputInterface is not null)
                throw NetNsException.Invalid(MyInvocation.MyCommand.Name, InputInterface, "-InputInterface does not apply to -Masquerade (use -OutputInterface)");
            if (!ShouldChange(Describe("NetNs's nftables table", Namespace), $"Add rule: {what}"))
                return;
            using var nat = NatTableOf(Namespace);
            var rule = ParameterSetName switch
            {
                MasqueradeSet => nat.AddMasquerade(source, OutputInterface),
                ForwardAcceptSet => nat.AddForwardAccept(InputInterface, OutputInterface),
                _ => nat.AddPortForward(Protocol, Port, ToAddress, ToPort > 0 ? ToPort : null, InputInterface, DestinationAddress),
            };
            if (PassThru)
                WriteObject(rule);
        });
    }
}
