using System.Net;
using System.Net.Sockets;

namespace NetNs.Core;

/// <summary>
/// The NAT and forwarding rules of one namespace, in the nftables table NetNs owns there (`table inet netns`, with
/// chains postrouting, prerouting and forward): NetNs never edits a rule outside it, and removes the table with its
/// last rule. Every call runs libnftables in-process on a thread inside the namespace; rules are sent as nftables
/// JSON built with a writer, so nothing from input is read as nft syntax. Needs libnftables.so.1 (package libnftables1).
/// </summary>
public sealed class NatTable : IDisposable
{
    private readonly NamespaceHandle? _ns;
    private readonly bool _owns;

    /// <summary>
    /// The table of <paramref name="ns"/> (null: the calling thread's own namespace — only when the caller names it).
    /// With <paramref name="ownsNamespace"/> the handle is disposed with this object.
    /// </summary>
    public NatTable(NamespaceHandle? ns, bool ownsNamespace = false)
    {
        _ns = ns;
        _owns = ownsNamespace;
        NamespaceName = NamespaceHandle.LabelOf(ns);
    }

    /// <summary>The table of the namespace a user named.</summary>
    public static NatTable Open(NamespaceRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return new NatTable(reference.OpenUnlessCurrent(), ownsNamespace: true);
    }

    /// <summary>The namespace as output objects name it; null for the caller's own.</summary>
    public string? NamespaceName { get; }

    /// <summary>
    /// Masquerades packets from <paramref name="source"/> (any when null) leaving by <paramref name="outputInterface"/>
    /// (any when null); at least one must be given.
    /// Equivalent to: `iptables -t nat -A POSTROUTING [-s PREFIX] [-o IF] -j MASQUERADE`, or
    /// `nft add rule inet netns postrouting [ip saddr PREFIX] [oifname IF] masquerade`.
    /// </summary>
    public NetNsNatRule AddMasquerade(IPPrefix? source, string? outputInterface, string? network = null) =>
        AddMasquerade(source, outputInterface, network, null);

    /// <summary>A masquerade rule owned by a standalone network or by a lab (named in its comment).</summary>
    internal NetNsNatRule AddMasquerade(IPPrefix? source, string? outputInterface, string? network, string? lab)
    {
        CheckInterface(outputInterface);
        if (source is null && outputInterface is null)
            throw NetNsException.Invalid("add masquerade", "", "a masquerade rule needs a source prefix, an output interface, or both");
        return Add(new NftJson.RuleSpec(NatRuleKind.Masquerade, Source: source?.Network, OutputInterface: outputInterface,
            Network: CheckNetwork(network), Lab: lab)); // a lab name is checked with its definition
    }

    /// <summary>
    /// Accepts forwarded packets coming in on <paramref name="inputInterface"/> and/or going out of
    /// <paramref name="outputInterface"/> (at least one). Equivalent to: `iptables -A FORWARD [-i IF] [-o IF] -j ACCEPT`.
    /// </summary>
    public NetNsNatRule AddForwardAccept(string? inputInterface, string? outputInterface, string? network = null)
    {
        CheckInterface(inputInterface);
        CheckInterface(outputInterface);
        if (inputInterface is null && outputInterface is null)
            throw NetNsException.Invalid("add forward rule", "", "a forward-accept rule needs an input interface, an output interface, or both");
        return Add(new NftJson.RuleSpec(NatRuleKind.ForwardAccept, InputInterface: inputInterface, OutputInterface: outputInterface, Network: CheckNetwork(network)));
    }

    /// <summary>
    /// Forwards <paramref name="protocol"/> (tcp or udp) port <paramref name="port"/>, arriving on
    /// <paramref name="inputInterface"/> (any when null) for <paramref name="destination"/> (any local address when null),
    /// to <paramref name="toAddress"/>:<paramref name="toPort"/> (the same port when null).
    /// Equivalent to: `iptables -t nat -A PREROUTING [-i IF] [-d ADDR] -p tcp --dport N -j DNAT --to-destination A[:M]`.
    /// </summary>
    public NetNsNatRule AddPortForward(string protocol, int port, IPAddress toAddress, int? toPort = null,
        string? inputInterface = null, IPAddress? destination = null, string? network = null)
    {
        ArgumentNullException.ThrowIfNull(toAddress);
        string proto = (protocol ?? "").ToLowerInvariant();
        if (proto is not ("tcp" or "udp"))
            throw NetNsException.Invalid("add port forward", protocol ?? "", $"protocol '{protocol}' is not tcp or udp");
        CheckPort(port);
        if (toPort is int tp)
            CheckPort(tp);
        CheckInterface(inputInterface);
        if (toAddress.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw NetNsException.Invalid("add port forward", toAddress.ToString(), $"'{toAddress}' is not an IPv4 or IPv6 address");
        if (destination is not null && destination.AddressFamily != toAddress.AddressFamily)
            throw NetNsException.Invalid("add port forward", destination.ToString(), $"destination {destination} and target {toAddress} are of different families");
        return Add(new NftJson.RuleSpec(NatRuleKind.PortForward, Destination: destination, InputInterface: inputInterface,
            Protocol: proto, Port: port, ToAddress: toAddress, ToPort: toPort, Network: CheckNetwork(network)));
    }

    /// <summary>The rules of NetNs's table, in chain order. Equivalent to: `nft -a list table inet netns`.</summary>
    public IReadOnlyList<NetNsNatRule> List()
    {
        string listing = NftSession.Run(_ns, NftJson.ListRuleset(), "list NAT rules", NamespaceName);
        return NftJson.ReadRules(listing, NamespaceName);
    }

    /// <summary>
    /// Removes the rule with <paramref name="handle"/>; RuleNotFound when NetNs's table has none. The table goes with
    /// its last rule. Equivalent to: `nft delete rule inet netns CHAIN handle N`.
    /// </summary>
    public void Remove(long handle)
    {
        var rules = List();
        var rule = rules.FirstOrDefault(r => r.Handle == handle)
            ?? throw new NetNsException(NetNsErrorReason.RuleNotFound, "remove NAT rule",
                $"NetNs's table has no rule with handle {handle}{Where}", handle.ToString(System.Globalization.CultureInfo.InvariantCulture));
        NftSession.Run(_ns, NftJson.DeleteRule(rule.Chain, handle), "remove NAT rule", rule.ToString());
        if (rules.Count == 1)
            DropTable();
    }

    /// <summary>Removes every rule a network made (its name in the rule's comment); the table goes with its last rule.</summary>
    public int RemoveNetworkRules(string network) => RemoveRules(r => r.Network == network);

    /// <summary>Removes the rules <paramref name="mine"/> selects; the table goes with its last rule.</summary>
    internal int RemoveRules(Func<NetNsNatRule, bool> mine)
    {
        var rules = List();
        var chosen = rules.Where(mine).ToList();
        foreach (var r in chosen)
            NftSession.Run(_ns, NftJson.DeleteRule(r.Chain, r.Handle), "remove NAT rule", r.ToString());
        if (chosen.Count > 0 && chosen.Count == rules.Count)
            DropTable();
        return chosen.Count;
    }

    /// <summary>Deletes NetNs's table when it holds no rule any more, not even one added to it by hand.</summary>
    public void DropTable()
    {
        string listing = NftSession.Run(_ns, NftJson.ListRuleset(), "list NAT rules", NamespaceName);
        if (NftJson.TableState(listing) is (true, 0))
            NftSession.Run(_ns, NftJson.DeleteTable(), "remove NetNs's nftables table", NamespaceName);
    }

    private string Where => NamespaceName is null ? "" : $" in namespace '{NamespaceName}'";

    private NetNsNatRule Add(NftJson.RuleSpec spec)
    {
        // NFT_CTX_OUTPUT_ECHO (1 << 5): the rule added comes back with its handle, in the same call.
        string echo = NftSession.Run(_ns, NftJson.AddRule(spec), "add NAT rule", NamespaceName, extraFlags: 1u << 5);
        var added = NftJson.ReadRules(echo, NamespaceName);
        if (added.Count > 0 && added[^1].Handle != 0)
            return added[^1];
        // an echo without the rule (older libnftables): the newest rule of its kind is it
        return List().Where(r => r.Kind == spec.Kind).MaxBy(r => r.Handle)
            ?? throw new NetNsException(NetNsErrorReason.MalformedReply, "add NAT rule", "the rule added is not in the listing");
    }

    private static void CheckInterface(string? name)
    {
        if (name is null)
            return;
        Names.CheckInterfaceName(name, "add NAT rule");
        // Legal in a kernel link name, but nftables reads a trailing * as a wildcard and a leading @ or $ as a set
        // or variable reference, even in JSON: such a rule would match other interfaces than the one named.
        if (name.IndexOfAny(['*', '@', '$', '\\', '"']) >= 0)
            throw NetNsException.Invalid("add NAT rule", name, $"'{name}' has a character nftables gives a meaning in interface matches (* @ $ \\ \"); rename the interface");
    }

    private static string? CheckNetwork(string? network) => network is null ? null : Names.CheckInterfaceName(network, "add NAT rule");

    private static void CheckPort(int port)
    {
        if (port is < 1 or > 65535)
            throw NetNsException.Invalid("add port forward", port.ToString(System.Globalization.CultureInfo.InvariantCulture), $"port {port} is out of range (1–65535)");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_owns)
            _ns?.Dispose();
    }
}
