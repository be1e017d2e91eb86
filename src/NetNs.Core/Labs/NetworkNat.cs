namespace NetNs.Core;

/// <summary>
/// The one NAT path of networks and labs: masquerade and forward-accept rules in NetNs's nftables table of a namespace,
/// owned by a standalone network (New-NetNsNetwork -Nat: "network=NAME" in each rule's comment) or by a lab (a Nat key:
/// "lab=NAME"), so Get-NetNsNatRule says whose a rule is and removing the owner removes exactly its rules.
/// </summary>
internal static class NetworkNat
{
    /// <summary>
    /// A standalone network's NAT: each subnet masqueraded out of <paramref name="uplink"/>, and what comes in on the
    /// bridge accepted for forwarding; undone by <paramref name="undo"/> when a later step of the caller fails.
    /// Equivalent to: `iptables -t nat -A POSTROUTING -s SUBNET -o UPLINK -j MASQUERADE; iptables -A FORWARD -i NAME -j ACCEPT`.
    /// </summary>
    public static void AddNetwork(NamespaceHandle? ns, string network, IEnumerable<IPPrefix> subnets, string uplink, UndoSteps undo)
    {
        using var nat = new NatTable(ns);
        undo.Push(() => RemoveNetwork(ns, network));
        foreach (var s in subnets)
            nat.AddMasquerade(s, uplink, network);
        nat.AddForwardAccept(network, null, network);
    }

    /// <summary>Removes every rule of a standalone network; the table goes with its last rule.</summary>
    public static void RemoveNetwork(NamespaceHandle? ns, string network)
    {
        using var nat = new NatTable(ns);
        nat.RemoveNetworkRules(network);
    }

    /// <summary>
    /// A lab's NAT in node namespace <paramref name="ns"/>: <paramref name="sources"/> masqueraded out of
    /// <paramref name="outInterface"/>, adding only the rules that are missing (a converge adds nothing twice).
    /// Equivalent to: `iptables -t nat -A POSTROUTING -s PREFIX -o IF -j MASQUERADE` per prefix.
    /// </summary>
    public static void ApplyLab(NamespaceHandle ns, string lab, IReadOnlyList<IPPrefix> sources, string outInterface)
    {
        ArgumentNullException.ThrowIfNull(sources);
        using var table = new NatTable(ns);
        var have = LabRules(table, lab, outInterface).Select(r => r.SourcePrefix).ToHashSet();
        foreach (var prefix in sources.Where(p => !have.Contains(p)))
            table.AddMasquerade(prefix, outInterface, null, lab);
    }

    /// <summary>Removes lab <paramref name="lab"/>'s masquerade rules out of <paramref name="outInterface"/> in <paramref name="ns"/>.</summary>
    public static void RemoveLab(NamespaceHandle ns, string lab, string outInterface)
    {
        using var table = new NatTable(ns);
        table.RemoveRules(r => r.Kind == NatRuleKind.Masquerade && r.Lab == lab && r.OutputInterface == outInterface);
    }

    private static List<NetNsNatRule> LabRules(NatTable table, string lab, string outInterface) =>
        table.List().Where(r => r.Kind == NatRuleKind.Masquerade && r.Lab == lab && r.OutputInterface == outInterface).ToList();
}
