namespace NetNs.Core;

/// <summary>
/// A lab's masquerade rules, in NetNs's nftables table of the node (<see cref="NatTable"/>): one rule per source
/// subnet out of the NAT interface, with the network word "lab" in its comment. The node's namespace belongs to the lab,
/// so those words are enough to find the lab's rules again; rules added by hand in that table are left alone.
/// Equivalent to: `nft add rule inet netns postrouting ip saddr PREFIX oifname IF masquerade` per subnet.
/// </summary>
public sealed class LabNat : ILabNat
{
    /// <summary>The network word of a lab's rules.</summary>
    public const string RuleNetwork = "lab";

    /// <inheritdoc/>
    public void Apply(NamespaceHandle ns, IReadOnlyList<IPPrefix> sourcePrefixes, string outInterface)
    {
        ArgumentNullException.ThrowIfNull(sourcePrefixes);
        using var table = new NatTable(ns);
        var have = Mine(table, outInterface).Select(r => r.SourcePrefix).ToHashSet();
        foreach (var prefix in sourcePrefixes.Where(p => !have.Contains(p)))
            table.AddMasquerade(prefix, outInterface, RuleNetwork);
    }

    /// <inheritdoc/>
    public void Remove(NamespaceHandle ns, string outInterface)
    {
        using var table = new NatTable(ns);
        foreach (var rule in Mine(table, outInterface))
            table.Remove(rule.Handle);
    }

    private static IEnumerable<NetNsNatRule> Mine(NatTable table, string outInterface) =>
        table.List().Where(r => r.Kind == NatRuleKind.Masquerade && r.Network == RuleNetwork && r.OutputInterface == outInterface).ToList();
}
