using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Removes IP addresses (`ip addr del`); the link and prefix length are found when not given.</summary>
[Cmdlet(VerbsCommon.Remove, "NetNsAddress", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetNsAddressCommand : NetNsCmdlet
{
    /// <summary>Addresses to remove ("198.18.0.1", or "198.18.0.1/24" to match the prefix length too).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ObjectNameTransformation("Namespace")]
    public string[] IPAddress { get; set; } = [];

    /// <summary>Only remove the address with this prefix length.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 128)]
    public int PrefixLength { get; set; }

    /// <summary>Only from this link; any link when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string? InterfaceAlias { get; set; }

    /// <summary>The namespace; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        int? len = MyInvocation.BoundParameters.ContainsKey(nameof(PrefixLength)) ? PrefixLength : null;
        foreach (string text in IPAddress)
        {
            Try(text, () =>
            {
                var (address, prefixLength) = AddressInput.Parse(text, len);
                string what = prefixLength is null ? address.ToString() : $"{address}/{prefixLength}";
                if (ShouldChange(Describe(InterfaceAlias ?? "any link", Namespace), $"Remove address {what}"))
                    Rtnl(Namespace).RemoveAddress(address, prefixLength, InterfaceAlias);
            });
        }
    }
}
