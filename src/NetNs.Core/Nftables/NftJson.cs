using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace NetNs.Core;

/// <summary>
/// The nftables JSON (libnftables-json(5)) NetNs sends and reads. Commands are written with a JSON writer, so no
/// name, prefix or port from input is ever read as nft syntax; listings are decoded back into rule objects.
/// </summary>
internal static class NftJson
{
    /// <summary>NetNs's own table, family inet (IPv4 and IPv6 in one table).</summary>
    public const string Family = "inet";
    public const string Table = "netns";
    public const string PostRouting = "postrouting";
    public const string PreRouting = "prerouting";
    public const string Forward = "forward";

    /// <summary>
    /// Every rule NetNs adds carries a comment starting with this, then the kind and its owner: "network=NAME" for a
    /// standalone network's rules, "lab=NAME" for a lab's.
    /// </summary>
    public const string CommentPrefix = "netns:";

    /// <summary>The rule to add, already validated.</summary>
    public sealed record RuleSpec(NatRuleKind Kind, IPPrefix? Source = null, IPAddress? Destination = null,
        string? InputInterface = null, string? OutputInterface = null, string? Protocol = null, int? Port = null,
        IPAddress? ToAddress = null, int? ToPort = null, string? Network = null, string? Lab = null);

    public static string ChainOf(NatRuleKind kind) => kind switch
    {
        NatRuleKind.Masquerade => PostRouting,
        NatRuleKind.PortForward => PreRouting,
        _ => Forward,
    };

    public static string KindText(NatRuleKind kind) => kind switch
    {
        NatRuleKind.Masquerade => "masquerade",
        NatRuleKind.PortForward => "port-forward",
        _ => "forward-accept",
    };

    /// <summary>`add table inet netns; add chain … { type … hook … }` ×3; `add rule inet netns CHAIN … comment "netns:…"`.</summary>
    public static string AddRule(RuleSpec r) => Commands(w =>
    {
        WriteTableAndChains(w);
        w.WriteStartObject();
        w.WriteStartObject("add");
        w.WriteStartObject("rule");
        w.WriteString("family", Family);
        w.WriteString("table", Table);
        w.WriteString("chain", ChainOf(r.Kind));
        w.WriteString("comment", CommentPrefix + KindText(r.Kind) + (r.Network is null ? "" : " network=" + r.Network) + (r.Lab is null ? "" : " lab=" + r.Lab));
        w.WriteStartArray("expr");
        if (r.InputInterface is not null)
            MatchMeta(w, "iifname", r.InputInterface);
        if (r.Source is IPPrefix s)
            MatchAddress(w, "saddr", s);
        if (r.Destination is not null)
            MatchAddress(w, "daddr", new IPPrefix(r.Destination, r.Destination.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
        if (r.OutputInterface is not null)
            MatchMeta(w, "oifname", r.OutputInterface);
        if (r.Protocol is not null)
        {
            Match(w, left => { left.WriteStartObject("payload"); left.WriteString("protocol", r.Protocol); left.WriteString("field", "dport"); left.WriteEndObject(); },
                right => right.WriteNumber("right", r.Port!.Value));
        }
        w.WriteStartObject();
        switch (r.Kind)
        {
            case NatRuleKind.Masquerade:
                w.WriteNull("masquerade");
                break;
            case NatRuleKind.ForwardAccept:
                w.WriteNull("accept");
                break;
            default:
                w.WriteStartObject("dnat");
                w.WriteString("family", r.ToAddress!.AddressFamily == AddressFamily.InterNetwork ? "ip" : "ip6");
                w.WriteString("addr", r.ToAddress.ToString());
                if (r.ToPort is int p)
                    w.WriteNumber("port", p);
                w.WriteEndObject();
                break;
        }
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>`delete rule inet netns CHAIN handle N`.</summary>
    public static string DeleteRule(string chain, long handle) => Commands(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("delete");
        w.WriteStartObject("rule");
        w.WriteString("family", Family);
        w.WriteString("table", Table);
        w.WriteString("chain", chain);
        w.WriteNumber("handle", handle);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>`delete table inet netns`.</summary>
    public static string DeleteTable() => Commands(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("delete");
        WriteTableObject(w);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>
    /// `list ruleset FAMILY` (inet unless named: NetNs's NAT table; netdev for its loss and partition chains), a
    /// listing that never fails when NetNs's table is absent.
    /// </summary>
    public static string ListRuleset(string family = Family) => Commands(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("list");
        w.WriteStartObject("ruleset");
        w.WriteString("family", family);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>
    /// Whether a listing holds NetNs's table, and how many rules it has — every rule, also ones this decoder does not
    /// read (added by hand), so the table is only dropped when it is really empty.
    /// </summary>
    public static (bool Exists, int Rules) TableState(string listing)
    {
        using var doc = Parse(listing);
        bool exists = false;
        int rules = 0;
        foreach (var item in Items(doc))
        {
            if (item.TryGetProperty("table", out var t) && t.ValueKind == JsonValueKind.Object && IsOurs(t))
                exists = true;
            else if (item.TryGetProperty("rule", out var r) && IsOurs(r))
                rules++;
        }
        return (exists, rules);
    }

    /// <summary>The rules of NetNs's table in a listing (or an echo of an add), in order.</summary>
    public static List<NetNsNatRule> ReadRules(string listing, string? namespaceName)
    {
        var rules = new List<NetNsNatRule>();
        using var doc = Parse(listing);
        foreach (var item in Items(doc))
        {
            var rule = item.TryGetProperty("rule", out var r) ? r
                : item.TryGetProperty("add", out var a) && a.TryGetProperty("rule", out var ar) ? ar : default;
            if (rule.ValueKind == JsonValueKind.Object && IsOurs(rule) && ReadRule(rule, namespaceName) is { } parsed)
                rules.Add(parsed);
        }
        return rules;
    }

    private static NetNsNatRule? ReadRule(JsonElement rule, string? namespaceName)
    {
        NatRuleKind? kind = null;
        IPPrefix? source = null;
        IPAddress? destination = null, to = null;
        string? iif = null, oif = null, protocol = null, network = null, lab = null;
        int? port = null, toPort = null;
        if (rule.TryGetProperty("comment", out var c) && c.GetString() is { } comment && comment.StartsWith(CommentPrefix, StringComparison.Ordinal))
        {
            foreach (string word in comment[CommentPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.StartsWith("network=", StringComparison.Ordinal))
                    network = word["network=".Length..];
                else if (word.StartsWith("lab=", StringComparison.Ordinal))
                    lab = word["lab=".Length..];
            }
        }
        if (!rule.TryGetProperty("expr", out var exprs) || exprs.ValueKind != JsonValueKind.Array)
            return null;
        foreach (var e in exprs.EnumerateArray())
        {
            if (e.TryGetProperty("masquerade", out _))
                kind = NatRuleKind.Masquerade;
            else if (e.TryGetProperty("accept", out _))
                kind = NatRuleKind.ForwardAccept;
            else if (e.TryGetProperty("dnat", out var d))
            {
                kind = NatRuleKind.PortForward;
                if (d.TryGetProperty("addr", out var addr) && addr.ValueKind == JsonValueKind.String && IPAddress.TryParse(addr.GetString(), out var ta))
                    to = ta;
                if (d.TryGetProperty("port", out var tp) && tp.TryGetInt32(out int tpn))
                    toPort = tpn;
            }
            else if (e.TryGetProperty("match", out var m) && m.TryGetProperty("left", out var left) && m.TryGetProperty("right", out var right))
            {
                if (left.TryGetProperty("meta", out var meta) && meta.TryGetProperty("key", out var key) && right.ValueKind == JsonValueKind.String)
                {
                    if (key.GetString() == "iifname") iif = right.GetString();
                    else if (key.GetString() == "oifname") oif = right.GetString();
                }
                else if (left.TryGetProperty("payload", out var pl) && pl.TryGetProperty("field", out var field))
                {
                    string? proto = pl.TryGetProperty("protocol", out var pr) ? pr.GetString() : null;
                    switch (field.GetString())
                    {
                        case "saddr": source = ReadPrefix(right); break;
                        case "daddr": destination = ReadPrefix(right)?.Address; break;
                        case "dport" when right.TryGetInt32(out int dp): protocol = proto; port = dp; break;
                    }
                }
            }
        }
        if (kind is null)
            return null;
        return new NetNsNatRule
        {
            Namespace = namespaceName,
            Kind = kind.Value,
            Handle = rule.TryGetProperty("handle", out var h) && h.TryGetInt64(out long hv) ? hv : 0,
            Chain = rule.TryGetProperty("chain", out var ch) ? ch.GetString() ?? "" : "",
            SourcePrefix = source,
            DestinationAddress = destination,
            InputInterface = iif,
            OutputInterface = oif,
            Protocol = protocol,
            Port = port,
            ToAddress = to,
            ToPort = toPort,
            Network = network,
            Lab = lab,
        };
    }

    private static IPPrefix? ReadPrefix(JsonElement right)
    {
        if (right.ValueKind == JsonValueKind.String && IPAddress.TryParse(right.GetString(), out var a))
            return new IPPrefix(a, a.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        if (right.ValueKind == JsonValueKind.Object && right.TryGetProperty("prefix", out var p)
            && p.TryGetProperty("addr", out var pa) && IPAddress.TryParse(pa.GetString(), out var addr)
            && p.TryGetProperty("len", out var len) && len.TryGetInt32(out int n))
            return new IPPrefix(addr, n);
        return null;
    }

    private static bool IsOurs(JsonElement e) =>
        e.TryGetProperty("family", out var f) && f.GetString() == Family
        && (e.TryGetProperty("table", out var t) ? t.GetString() : e.TryGetProperty("name", out var n) ? n.GetString() : null) == Table;

    private static JsonDocument Parse(string listing)
    {
        try
        {
            return JsonDocument.Parse(string.IsNullOrWhiteSpace(listing) ? "{\"nftables\":[]}" : listing);
        }
        catch (JsonException e)
        {
            throw new NetNsException(NetNsErrorReason.MalformedReply, "list rules", $"libnftables gave a listing that is not JSON: {e.Message}", inner: e);
        }
    }

    private static IEnumerable<JsonElement> Items(JsonDocument doc) =>
        doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("nftables", out var list)
            && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];

    private static void WriteTableAndChains(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartObject("add");
        WriteTableObject(w);
        w.WriteEndObject();
        w.WriteEndObject();
        AddChain(w, PostRouting, "nat", "postrouting", 100);
        AddChain(w, PreRouting, "nat", "prerouting", -100);
        AddChain(w, Forward, "filter", "forward", 0);
    }

    private static void WriteTableObject(Utf8JsonWriter w)
    {
        w.WriteStartObject("table");
        w.WriteString("family", Family);
        w.WriteString("name", Table);
        w.WriteEndObject();
    }

    private static void AddChain(Utf8JsonWriter w, string name, string type, string hook, int prio)
    {
        w.WriteStartObject();
        w.WriteStartObject("add");
        w.WriteStartObject("chain");
        w.WriteString("family", Family);
        w.WriteString("table", Table);
        w.WriteString("name", name);
        w.WriteString("type", type);
        w.WriteString("hook", hook);
        w.WriteNumber("prio", prio);
        w.WriteString("policy", "accept");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void MatchMeta(Utf8JsonWriter w, string key, string value) =>
        Match(w, left => { left.WriteStartObject("meta"); left.WriteString("key", key); left.WriteEndObject(); },
            right => right.WriteString("right", value));

    private static void MatchAddress(Utf8JsonWriter w, string field, IPPrefix p) =>
        Match(w, left =>
        {
            left.WriteStartObject("payload");
            left.WriteString("protocol", p.Family == IPAddressFamily.IPv4 ? "ip" : "ip6");
            left.WriteString("field", field);
            left.WriteEndObject();
        }, right =>
        {
            if (p.PrefixLength == p.MaxLength)
            {
                right.WriteString("right", p.Address.ToString());
                return;
            }
            right.WriteStartObject("right");
            right.WriteStartObject("prefix");
            right.WriteString("addr", p.Network.Address.ToString());
            right.WriteNumber("len", p.PrefixLength);
            right.WriteEndObject();
            right.WriteEndObject();
        });

    private static void Match(Utf8JsonWriter w, Action<Utf8JsonWriter> left, Action<Utf8JsonWriter> right)
    {
        w.WriteStartObject();
        w.WriteStartObject("match");
        w.WriteString("op", "==");
        w.WriteStartObject("left");
        left(w);
        w.WriteEndObject();
        right(w);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    internal static string Commands(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("nftables");
            body(w);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
