using System.Management.Automation;
using System.Net;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Adds addresses to a link (`ip addr add ADDR/LEN dev NAME`), as New-NetIPAddress does on Windows: an address that is
/// there already is an AddressExists error. With -DefaultGateway also adds the default route through the link
/// (`ip route add default via GW dev NAME`). All or nothing: a failed step removes what the call added. Writes the
/// addresses. Set-NetNsAddress is the idempotent form.
/// </summary>
[Cmdlet(VerbsCommon.New, "NetNsAddress", SupportsShouldProcess = true)]
[OutputType(typeof(NetNsAddress))]
public sealed class NewNetNsAddressCommand : NetNsCmdlet
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

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        int? len = MyInvocation.BoundParameters.ContainsKey(nameof(PrefixLength)) ? PrefixLength : null;
        var options = new AddressOptions { SkipDuplicateAddressDetection = SkipDuplicateAddressDetection };
        var prefixes = new List<IPPrefix>();
        System.Net.IPAddress? gateway = null;
        try
        {
            // One clear error before anything changes: a bad address or gateway stops the whole call.
            foreach (string text in IPAddress)
                prefixes.Add(AddressInput.Prefix(text, len));
            if (DefaultGateway is not null)
                gateway = AddressInput.Gateway(DefaultGateway, "add default gateway");
        }
        catch (NetNsException e)
        {
            WriteNetNsError(e, IPAddress);
            return;
        }
        string action = "Add address " + string.Join(", ", prefixes) + (gateway is null ? "" : $" and default gateway {gateway}");
        if (!ShouldChange(Describe(InterfaceAlias, Namespace), action))
            return;
        Try(InterfaceAlias, () => WriteObject(Rtnl(Namespace).AddInterfaceAddresses(InterfaceAlias, prefixes, gateway, options), enumerateCollection: true));
    }
}
