using System.Net;

namespace NetNs.Core;

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
