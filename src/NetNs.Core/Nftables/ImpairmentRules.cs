using System.Text.Json;

namespace NetNs.Core;

/// <summary>
/// Loss and partitions made with nftables where netem is missing, in NetNs's own table of family netdev
/// (`table netdev netns`, beside the `inet netns` of NAT rules): a base chain on one device's ingress (or egress) hook
/// dropping a random share of packets (`numgen random mod 10000 &lt; N drop`), or all of them. A chain is named after
/// what it does and where (loss-DEVICE-HOOK, partition-DEVICE-HOOK), so Get and Clear find it; the table goes with
/// its last chain. JSON is written with a writer: no input is read as nft syntax.
/// </summary>
internal static class ImpairmentRules
{
    public const string Family = "netdev";
    public const string Table = "netns";

    /// <summary>The chain that drops for <paramref name="purpose"/> (loss, partition) at <paramref name="hook"/> of <paramref name="device"/>.</summary>
    public static string Chain(string purpose, string device, string hook) => $"{purpose}-{device}-{hook}";

    /// <summary>
    /// Drops <paramref name="percent"/> % (to 0.01 %; null: all) of the packets at <paramref name="hook"/> (ingress or
    /// egress) of <paramref name="device"/>, replacing what the chain held. Equivalent to: `nft add table netdev netns;
    /// nft add chain netdev netns CHAIN { type filter hook HOOK device DEVICE priority 0; }; nft flush chain …;
    /// nft add rule netdev netns CHAIN [numgen random mod 10000 &lt; N] drop`.
    /// </summary>
    public static void SetDrop(NamespaceHandle? ns, string chain, string hook, string device, double? percent, string operation)
    {
        int? n = percent is double p ? (int)Math.Round(p * 100, MidpointRounding.AwayFromZero) : null;
        NftSession.Run(ns, NftJson.Commands(w =>
        {
            AddTable(w);
            AddChain(w, chain, hook, device);
            Verb(w, "flush", "chain", chain, null);
            AddRule(w, chain, "netns:" + chain, x =>
            {
                if (n is not int share)
                    return;
                x.WriteStartObject();
                x.WriteStartObject("match");
                x.WriteString("op", "<");
                x.WriteStartObject("left");
                x.WriteStartObject("numgen");
                x.WriteString("mode", "random");
                x.WriteNumber("mod", 10000);
                x.WriteNumber("offset", 0);
                x.WriteEndObject();
                x.WriteEndObject();
                x.WriteNumber("right", share);
                x.WriteEndObject();
                x.WriteEndObject();
            });
        }), operation, device);
    }

    /// <summary>The chains of NetNs's netdev table with the share each drops, in percent (100 for a chain that drops all).</summary>
    public static IReadOnlyDictionary<string, double> Read(NamespaceHandle? ns)
    {
        var listing = List(ns);
        return listing.Chains.ToDictionary(c => c, c => listing.Loss.TryGetValue(c, out double l) ? l : 100.0, StringComparer.Ordinal);
    }

    /// <summary>Deletes the named chains of NetNs's netdev table that exist, and the table when it is left empty.</summary>
    public static void Remove(NamespaceHandle? ns, string target, params string[] chains)
    {
        var listing = List(ns);
        if (!listing.Table)
            return;
        var present = chains.Where(listing.Chains.Contains).Distinct().ToList();
        bool dropTable = listing.Chains.Count == present.Count;
        if (present.Count == 0)
            return;
        NftSession.Run(ns, NftJson.Commands(w =>
        {
            if (dropTable)
            {
                w.WriteStartObject();
                w.WriteStartObject("delete");
                WriteTable(w);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            else
            {
                foreach (var c in present)
                    Verb(w, "delete", "chain", c, null);
            }
        }), "clear the impairment of", target);
    }

    /// <summary>
    /// Whether <paramref name="ns"/> may hold NetNs's netdev table: false only when nf_tables says it has none (true
    /// when it cannot tell). One nfnetlink dump, no libnftables.
    /// </summary>
    public static bool HasTable(NamespaceHandle? ns)
    {
        try
        {
            return NfTables.Exists(ns, NfTables.Netdev, Table);
        }
        catch (NetNsException)
        {
            return true;
        }
    }

    private sealed record Listing(bool Table, HashSet<string> Chains, Dictionary<string, double> Loss);

    private static Listing List(NamespaceHandle? ns)
    {
        var chains = new HashSet<string>(StringComparer.Ordinal);
        var loss = new Dictionary<string, double>(StringComparer.Ordinal);
        // Most namespaces have no NetNs netdev table: one nfnetlink dump says so for a tenth of libnftables' cost
        // (0.05 ms against 0.5 ms here), which keeps a lab's converge cheap. When it cannot tell, libnftables does.
        if (!HasTable(ns))
            return new Listing(false, chains, loss);
        string json = NftSession.Run(ns, NftJson.ListRuleset(Family), "list impairments", NamespaceHandle.LabelOf(ns));
        bool table = false;
        if (string.IsNullOrWhiteSpace(json))
            return new Listing(false, chains, loss);
        using var doc = JsonDocument.Parse(json);
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("table", out var t) && Mine(t))
                table = true;
            else if (item.TryGetProperty("chain", out var c) && Mine(c))
                chains.Add(c.GetProperty("name").GetString()!);
            else if (item.TryGetProperty("rule", out var r) && Mine(r) && r.TryGetProperty("expr", out var expr))
            {
                foreach (var e in expr.EnumerateArray())
                {
                    if (e.TryGetProperty("match", out var m) && m.TryGetProperty("left", out var left)
                        && left.TryGetProperty("numgen", out _) && m.TryGetProperty("right", out var right) && right.ValueKind == JsonValueKind.Number)
                        loss[r.GetProperty("chain").GetString()!] = right.GetInt32() / 100.0;
                }
            }
        }
        return new Listing(table, chains, loss);
    }

    private static bool Mine(JsonElement e) =>
        e.TryGetProperty("family", out var f) && f.GetString() == Family
        && ((e.TryGetProperty("table", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == Table)
            || (e.TryGetProperty("name", out var n) && !e.TryGetProperty("table", out _) && n.GetString() == Table));

    private static void WriteTable(Utf8JsonWriter w)
    {
        w.WriteStartObject("table");
        w.WriteString("family", Family);
        w.WriteString("name", Table);
        w.WriteEndObject();
    }

    private static void AddTable(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartObject("add");
        WriteTable(w);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void AddChain(Utf8JsonWriter w, string chain, string hook, string device) =>
        Verb(w, "add", "chain", chain, x =>
        {
            x.WriteString("type", "filter");
            x.WriteString("hook", hook);
            x.WriteString("dev", device);
            x.WriteNumber("prio", 0);
            x.WriteString("policy", "accept");
        });

    private static void Verb(Utf8JsonWriter w, string verb, string what, string chain, Action<Utf8JsonWriter>? more)
    {
        w.WriteStartObject();
        w.WriteStartObject(verb);
        w.WriteStartObject(what);
        w.WriteString("family", Family);
        w.WriteString("table", Table);
        w.WriteString("name", chain);
        more?.Invoke(w);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void AddRule(Utf8JsonWriter w, string chain, string comment, Action<Utf8JsonWriter> matches)
    {
        w.WriteStartObject();
        w.WriteStartObject("add");
        w.WriteStartObject("rule");
        w.WriteString("family", Family);
        w.WriteString("table", Table);
        w.WriteString("chain", chain);
        w.WriteString("comment", comment);
        w.WriteStartArray("expr");
        matches(w);
        w.WriteStartObject();
        w.WriteNull("drop");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
