using System.Management.Automation;
using System.Net;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Ensures addresses are on a link, idempotently (`ip addr replace ADDR/LEN dev NAME`); with
/// -DefaultGateway also ensures the default route (`ip route replace default via GW dev NAME`). If the
/// route fails, the addresses this call added are removed again.
/// </summary>
[Cmdlet(VerbsCommon.Set, "NetNsAddress", SupportsShouldProcess = true)]
[OutputType(typeof(NetNsAddress))]
public sealed class SetNetNsAddressCommand : NetNsCmdlet
{
    /// <summary>The link.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    [ObjectNameTransformation("Namespace", "InterfaceAlias")]
    public string InterfaceAlias { get; set; } = "";

    /// <summary>Addresses: "198.18.0.1/24", "2001:db8::1/64", or plain addresses with -PrefixLength.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] IPAddress { get; set; } = [];

    /// <summary>Prefix length for addresses written without one.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 128)]
    public int PrefixLength { get; set; }

    /// <summary>Also make this the default gateway, through the same link.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DefaultGateway { get; set; }

    /// <summary>The link's namespace; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>IPv6: skip duplicate address detection, so the address works at once (IFA_F_NODAD).</summary>
    [Parameter]
    [Alias("NoDad")]
    public SwitchParameter SkipDuplicateAddressDetection { get; set; }

    /// <summary>Write the addresses to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        int? len = MyInvocation.BoundParameters.ContainsKey(nameof(PrefixLength)) ? PrefixLength : null;
        var options = new AddressOptions { SkipDuplicateAddressDetection = SkipDuplicateAddressDetection };
        // Each address is its own item: a bad one gets its error and the others still go on. A bad
        // -DefaultGateway stops the whole call before anything changes.
        var prefixes = new List<IPPrefix>();
        foreach (string text in IPAddress)
            Try(text, () => prefixes.Add(AddressInput.Prefix(text, len)));
        System.Net.IPAddress? gateway = null;
        if (DefaultGateway is not null)
        {
            try
            {
                gateway = AddressInput.Gateway(DefaultGateway, "set default gateway");
            }
            catch (NetNsException e)
            {
                WriteNetNsError(e, DefaultGateway);
                return;
            }
        }
        if (prefixes.Count == 0 && gateway is null)
            return;
        string action = "Set address " + string.Join(", ", prefixes) + (gateway is null ? "" : $" and default gateway {gateway}");
        if (!ShouldChange(Describe(InterfaceAlias, Namespace), action))
            return;
        Try(InterfaceAlias, () =>
        {
            if (PassThru)
                WriteObject(Rtnl(Namespace).SetInterfaceAddresses(InterfaceAlias, prefixes, gateway, options), enumerateCollection: true);
            else
                Rtnl(Namespace).EnsureInterfaceAddresses(InterfaceAlias, prefixes, gateway, options); // no read-back nobody asked for
        });
    }
}
