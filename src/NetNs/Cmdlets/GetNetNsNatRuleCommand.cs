using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Lists the rules of NetNs's nftables table in a namespace (`nft -a list table inet netns`).</summary>
[Cmdlet(VerbsCommon.Get, "NetNsNatRule")]
[OutputType(typeof(NetNsNatRule))]
public sealed class GetNetNsNatRuleCommand : NetNsCmdlet
{
    /// <summary>The namespace to look in; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>Only rules of these kinds.</summary>
    [Parameter]
    public NatRuleKind[]? Kind { get; set; }

    /// <summary>Only rules made by this network (New-NetNsNetwork -Nat).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string? Network { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Try(Namespace?.ToString(), () =>
    {
        using var nat = NatTableOf(Namespace ?? NamespaceRef.Current);
        var rules = nat.List().Where(r => (Kind is not { Length: > 0 } || Kind.Contains(r.Kind)) && (Network is null || r.Network == Network));
        WriteObject(rules, enumerateCollection: true);
    });
}
