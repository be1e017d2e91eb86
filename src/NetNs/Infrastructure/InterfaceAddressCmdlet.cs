using System.Management.Automation;
using NetNs.Core;

namespace NetNs;

/// <summary>
/// The parameters New-NetNsAddress and Set-NetNsAddress share — addresses on a link as NetTCPIP names them, binding by
/// property name from Get-NetNsAddress output, and an optional default gateway — and their parsing.
/// </summary>
public abstract class InterfaceAddressCmdlet : NetNsCmdlet
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

    /// <summary>-PrefixLength when given, else null (each address then carries its own).</summary>
    protected int? PrefixLengthGiven => MyInvocation.BoundParameters.ContainsKey(nameof(PrefixLength)) ? PrefixLength : null;

    /// <summary>The address options the switches ask for.</summary>
    protected AddressOptions Options => new() { SkipDuplicateAddressDetection = SkipDuplicateAddressDetection };

    /// <summary>-DefaultGateway parsed (null when not given); InvalidArgument for one that is not a gateway address.</summary>
    protected System.Net.IPAddress? ParseGateway(string operation) =>
        DefaultGateway is null ? null : AddressInput.Gateway(DefaultGateway, operation);
}
