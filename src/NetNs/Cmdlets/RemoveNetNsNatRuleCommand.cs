using System.Globalization;
using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Removes rules from NetNs's nftables table by handle (`nft delete rule inet netns CHAIN handle N`).</summary>
[Cmdlet(VerbsCommon.Remove, "NetNsNatRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetNsNatRuleCommand : NetNsCmdlet
{
    /// <summary>The namespace whose rules they are. Required: NetNs changes the caller's own firewall or sysctls only when it is named (-Namespace $PID).</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef Namespace { get; set; } = NamespaceRef.Current;

    /// <summary>The rules' handles (the Handle of Get-NetNsNatRule's objects).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public long[] Handle { get; set; } = [];

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        foreach (long handle in Handle)
        {
            string text = handle.ToString(CultureInfo.InvariantCulture);
            if (ShouldChange(Describe($"NAT rule {text}", Namespace), "Remove NAT rule"))
                Try(text, () =>
                {
                    using var nat = NatTableOf(Namespace);
                    nat.Remove(handle);
                });
        }
    }
}
