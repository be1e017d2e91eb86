using System.Net;

namespace NetNs.Core;

/// <summary>What a NAT or forwarding rule of NetNs's table does.</summary>
public enum NatRuleKind
{
    /// <summary>Source NAT to the outgoing interface's address (`iptables -t nat -A POSTROUTING -s P -o IF -j MASQUERADE`).</summary>
    Masquerade,
    /// <summary>Accept forwarded packets in or out of an interface (`iptables -A FORWARD -i IF -j ACCEPT`).</summary>
    ForwardAccept,
    /// <summary>Destination NAT of a port to an inner address (`iptables -t nat -A PREROUTING -p tcp --dport N -j DNAT --to A:M`).</summary>
    PortForward,
}

/// <summary>
/// One rule in the nftables table NetNs owns in a namespace (table inet netns), as `nft -a list table inet netns`
/// shows it. Holds no descriptor; <see cref="Handle"/> names it for removal.
/// </summary>
public sealed class NetNsNatRule
{
    /// <summary>The namespace whose ruleset holds it, as the user named it; null for the caller's own.</summary>
    public string? Namespace { get; init; }

    /// <summary>What the rule does.</summary>
    public NatRuleKind Kind { get; init; }

    /// <summary>The rule's nftables handle (unique in the table; what removal names).</summary>
    public long Handle { get; init; }

    /// <summary>The chain it is in: postrouting, prerouting or forward.</summary>
    public string Chain { get; init; } = "";

    /// <summary>Source addresses matched (masquerade), or null for any.</summary>
    public IPPrefix? SourcePrefix { get; init; }

    /// <summary>Destination address matched (port-forward), or null for any of the router's addresses.</summary>
    public IPAddress? DestinationAddress { get; init; }

    /// <summary>Interface packets come in on, or null for any.</summary>
    public string? InputInterface { get; init; }

    /// <summary>Interface packets go out of, or null for any.</summary>
    public string? OutputInterface { get; init; }

    /// <summary>tcp or udp (port-forward).</summary>
    public string? Protocol { get; init; }

    /// <summary>The port forwarded (port-forward).</summary>
    public int? Port { get; init; }

    /// <summary>The inner address packets are sent to (port-forward).</summary>
    public IPAddress? ToAddress { get; init; }

    /// <summary>The inner port, or null for the same port.</summary>
    public int? ToPort { get; init; }

    /// <summary>The NetNs network that made it (New-NetNsNetwork -Nat), or null for a rule added on its own.</summary>
    public string? Network { get; init; }

    /// <summary>The lab that made it (a Nat key of its definition), or null.</summary>
    public string? Lab { get; init; }

    /// <summary>The rule in nft syntax, for reading (never parsed back).</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (InputInterface is not null) parts.Add($"iifname \"{InputInterface}\"");
        if (SourcePrefix is IPPrefix s) parts.Add($"{(s.Family == IPAddressFamily.IPv4 ? "ip" : "ip6")} saddr {s}");
        if (DestinationAddress is not null) parts.Add($"{(DestinationAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? "ip" : "ip6")} daddr {DestinationAddress}");
        if (OutputInterface is not null) parts.Add($"oifname \"{OutputInterface}\"");
        if (Protocol is not null) parts.Add($"{Protocol} dport {Port}");
        parts.Add(Kind switch
        {
            NatRuleKind.Masquerade => "masquerade",
            NatRuleKind.ForwardAccept => "accept",
            _ => ToAddress is null ? "dnat" : ToAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                ? $"dnat ip to {ToAddress}{(ToPort is int p ? $":{p}" : "")}"
                : $"dnat ip6 to [{ToAddress}]{(ToPort is int q ? $":{q}" : "")}",
        });
        return string.Join(' ', parts);
    }
}
