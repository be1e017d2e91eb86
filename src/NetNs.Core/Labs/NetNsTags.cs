using System.Net;

namespace NetNs.Core;

// The one tag codec: every label NetNs writes into IFLA_IFALIAS, encoded and decoded here. A lab tags its
// namespaces' loopbacks, its bridges and its veths (LabTags); a standalone network (New-NetNsNetwork) labels its bridge
// and its ports (NetworkLabel, MemberLabel); BridgeTag and PortTag read either kind as one network, so the network
// cmdlets see a lab's networks and say which lab owns them.

/// <summary>A network's bridge as its tag describes it, whoever made it: a lab (<see cref="Lab"/> set) or New-NetNsNetwork.</summary>
internal sealed record BridgeTag(string? Lab, IReadOnlyList<IPPrefix> Subnets, string? GatewayMember, string? Uplink, string? Forward4, string? Forward6)
{
    /// <summary>The bridge's tag, or null when it carries none of NetNs's (either kind).</summary>
    public static BridgeTag? Parse(string? alias)
    {
        if (NetworkLabel.Parse(alias) is { } label)
            return new BridgeTag(null, label.Subnets, null, label.Uplink, label.Forward4, label.Forward6);
        if (LabTags.LabOf(alias) is string lab && LabTags.Parse(alias, lab) is ["bridge", _, var subnets, .. var rest])
        {
            var prefixes = new List<IPPrefix>();
            foreach (string s in subnets.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (IPPrefix.TryParse(s, out var p, out _))
                    prefixes.Add(p);
            }
            return new BridgeTag(lab, prefixes, rest.FirstOrDefault(), null, null, null);
        }
        return null;
    }
}

/// <summary>
/// A network's bridge port as its tag describes it: the member's namespace, its interface, and (for a standalone
/// network) the addresses given to it; a lab's port names the member node, whose addresses are read from it.
/// </summary>
internal sealed record PortTag(string? Lab, string Network, string MemberNamespace, string InterfaceAlias, IReadOnlyList<IPPrefix> Addresses)
{
    /// <summary>The port's tag when it is a port of bridge <paramref name="bridge"/>, else null.</summary>
    public static PortTag? Parse(string? alias, string bridge, string? bridgeNamespace)
    {
        if (MemberLabel.Parse(alias) is { } m)
            return m.Network == bridge ? new PortTag(null, m.Network, m.Namespace, m.InterfaceAlias, m.Addresses) : null;
        // "netns-lab LAB veth NODE:IF NET:PORT": the node's end first, the bridge's (in LAB-NET) second.
        if (LabTags.LabOf(alias) is string lab && LabTags.Parse(alias, lab) is ["veth", var a, var b]
            && a.LastIndexOf(':') is > 0 and var ca && b.LastIndexOf(':') is > 0 and var cb
            && bridgeNamespace == LabDefinition.NamespaceOf(lab, b[..cb]))
            return new PortTag(lab, bridge, LabDefinition.NamespaceOf(lab, a[..ca]), a[(ca + 1)..], []);
        return null;
    }
}

/// <summary>
/// The IFLA_IFALIAS labels that hold a network's state in the kernel (no file anywhere). The bridge's:
/// "netns:network subnet=198.18.10.0/24 subnet=2001:db8:10::/64 uplink=wan0 fwd4=0 fwd6=0" (the forwarding values seen
/// before NetNs's first network in that namespace, restored when its last goes). A member's bridge port:
/// "netns:member network=lab ns=red if=eth0 ip=198.18.10.2/24". Words are key=value, values percent-escaped.
/// </summary>
internal sealed record NetworkLabel(IReadOnlyList<IPPrefix> Subnets, string? Uplink, string? Forward4, string? Forward6)
{
    public const string NetworkTag = "netns:network";
    public const string MemberTag = "netns:member";

    public string Encode()
    {
        var words = new List<string> { NetworkTag };
        words.AddRange(Subnets.Select(s => "subnet=" + s));
        if (Uplink is not null) words.Add("uplink=" + Uplink);
        if (Forward4 is not null) words.Add("fwd4=" + Uri.EscapeDataString(Forward4));
        if (Forward6 is not null) words.Add("fwd6=" + Uri.EscapeDataString(Forward6));
        return string.Join(' ', words);
    }

    public static NetworkLabel? Parse(string? alias)
    {
        var words = Words(alias, NetworkTag);
        if (words is null)
            return null;
        var subnets = new List<IPPrefix>();
        foreach (var (k, v) in words)
        {
            if (k == "subnet" && IPPrefix.TryParse(v, out var p, out _))
                subnets.Add(p);
        }
        return new NetworkLabel(subnets, Value(words, "uplink"), Value(words, "fwd4"), Value(words, "fwd6"));
    }

    /// <summary>The key=value words after <paramref name="tag"/>, or null when the alias is not such a label.</summary>
    internal static List<(string Key, string Value)>? Words(string? alias, string tag)
    {
        if (alias is null || !(alias == tag || alias.StartsWith(tag + " ", StringComparison.Ordinal)))
            return null;
        var words = new List<(string, string)>();
        foreach (string w in alias[tag.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = w.IndexOf('=');
            if (eq > 0)
                words.Add((w[..eq], Uri.UnescapeDataString(w[(eq + 1)..])));
        }
        return words;
    }

    internal static string? Value(List<(string Key, string Value)> words, string key) =>
        words.FirstOrDefault(w => w.Key == key).Value;
}

/// <summary>The label of a member's bridge port; see <see cref="NetworkLabel"/>.</summary>
internal sealed record MemberLabel(string Network, string Namespace, string InterfaceAlias, IReadOnlyList<IPPrefix> Addresses)
{
    public string Encode() => string.Join(' ', new[]
        {
            NetworkLabel.MemberTag, "network=" + Network, "ns=" + Uri.EscapeDataString(Namespace), "if=" + InterfaceAlias,
        }.Concat(Addresses.Select(a => "ip=" + a)));

    public static MemberLabel? Parse(string? alias)
    {
        var words = NetworkLabel.Words(alias, NetworkLabel.MemberTag);
        if (words is null || NetworkLabel.Value(words, "network") is not { } network || NetworkLabel.Value(words, "ns") is not { } ns)
            return null;
        var addresses = new List<IPPrefix>();
        foreach (var (k, v) in words)
        {
            if (k == "ip" && IPPrefix.TryParse(v, out var p, out _))
                addresses.Add(p);
        }
        return new MemberLabel(network, ns, NetworkLabel.Value(words, "if") ?? "", addresses);
    }

    public IEnumerable<IPAddress> Used => Addresses.Select(a => a.Address);
}

/// <summary>
/// The tags a lab writes into IFLA_IFALIAS: on each namespace's loopback ("netns-lab LAB node NAME"), on each bridge
/// ("netns-lab LAB bridge NAME SUBNETS [GATEWAY]") and on both ends of each veth ("netns-lab LAB veth A:IF B:IF").
/// </summary>
public static class LabTags
{
    /// <summary>The first word of every tag.</summary>
    public const string Prefix = "netns-lab";

    /// <summary>
    /// The loopback's tag; an attached container's node names it in a "container:NAME" word, and a node's NAT
    /// interfaces follow as "nat:IF" words.
    /// </summary>
    public static string Namespace(string lab, LabRole role, string member, IEnumerable<string>? natInterfaces = null, string? container = null) =>
        $"{Prefix} {lab} {(role == LabRole.Node ? "node" : "network")} {member}"
        + (container is null ? "" : " " + ContainerWord + container)
        + string.Concat((natInterfaces ?? []).Select(i => " " + NatWord + i));

    /// <summary>The prefix of a NAT interface word in a node's loopback tag.</summary>
    public const string NatWord = "nat:";

    /// <summary>The prefix of the word of a node tag that names the container whose namespace the lab attached.</summary>
    public const string ContainerWord = "container:";

    /// <summary>The container a namespace tag's words after the member name (<see cref="ContainerWord"/>), or null.</summary>
    public static string? ContainerOf(IEnumerable<string> extraWords) =>
        extraWords.FirstOrDefault(w => w.StartsWith(ContainerWord, StringComparison.Ordinal) && w.Length > ContainerWord.Length)?[ContainerWord.Length..];

    /// <summary>A bridge's tag.</summary>
    public static string Bridge(string lab, LabBridgeSpec b, LabModel m) =>
        $"{Prefix} {lab} bridge {m.MemberOf(b.Namespace)} {(b.Subnets.Length == 0 ? "-" : b.Subnets)}{(b.Gateway is null ? "" : " " + b.Gateway)}";

    /// <summary>Both veth ends' tag.</summary>
    public static string Veth(string lab, LabVethSpec v, LabModel m) =>
        $"{Prefix} {lab} veth {m.MemberOf(v.Namespace)}:{v.Name} {m.MemberOf(v.PeerNamespace)}:{v.PeerName}";

    /// <summary>Splits a tag of lab <paramref name="lab"/> into its words after the lab name; null when it is not one.</summary>
    public static string[]? Parse(string? alias, string lab)
    {
        if (alias is null)
            return null;
        string[] words = alias.Split(' ');
        return words.Length >= 4 && words[0] == Prefix && words[1] == lab ? words[2..] : null;
    }

    /// <summary>The lab a tag names, or null.</summary>
    public static string? LabOf(string? alias)
    {
        string[]? words = alias?.Split(' ');
        return words is { Length: >= 4 } && words[0] == Prefix ? words[1] : null;
    }
}
