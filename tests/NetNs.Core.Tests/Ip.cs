using System.Text.Json;

namespace NetNs.Core.Tests;

/// <summary>iproute2 as the independent witness: runs `ip` and parses its JSON output.</summary>
internal static class Ip
{
    /// <summary>Runs `ip ARGS`, failing the test when it exits non-zero; returns stdout.</summary>
    public static string Must(params string[] args)
    {
        var (code, stdout, stderr) = Lab.Run("ip", args);
        Assert.True(code == 0, $"ip {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }

    /// <summary>`ip -j [-d] -n NS OBJECT show [ARGS]` as a list of JSON objects.</summary>
    public static List<JsonElement> Json(string ns, params string[] args)
    {
        string text = Must(["-j", "-d", "-n", ns, .. args]);
        if (string.IsNullOrWhiteSpace(text))
            return [];
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>The links `ip -n NS link show` reports, by name.</summary>
    public static Dictionary<string, JsonElement> Links(string ns) =>
        Json(ns, "link", "show").ToDictionary(e => e.GetProperty("ifname").GetString()!);

    /// <summary>The link names `ip -n NS link show` reports.</summary>
    public static SortedSet<string> LinkNames(string ns) => new(Links(ns).Keys, StringComparer.Ordinal);

    /// <summary>"ADDR/LEN" of every address `ip -n NS addr show [dev LINK]` reports, with its JSON entry.</summary>
    public static Dictionary<string, JsonElement> Addresses(string ns, string? dev = null)
    {
        var result = new Dictionary<string, JsonElement>();
        var links = dev is null ? Json(ns, "addr", "show") : Json(ns, "addr", "show", "dev", dev);
        foreach (var link in links)
        {
            foreach (var a in link.GetProperty("addr_info").EnumerateArray())
                result[$"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}"] = a;
        }
        return result;
    }

    /// <summary>The routes `ip [-6] -n NS route show` reports (main table).</summary>
    public static List<JsonElement> Routes(string ns, bool v6 = false) =>
        v6 ? Json(ns, "-6", "route", "show") : Json(ns, "route", "show");

    public static string? Str(this JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static int? Int(this JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    public static string[] Flags(this JsonElement e) =>
        e.TryGetProperty("flags", out var v) ? v.EnumerateArray().Select(f => f.GetString()!).ToArray() : [];

    public static string? Kind(this JsonElement e) =>
        e.TryGetProperty("linkinfo", out var li) ? li.Str("info_kind") : null;

    private static readonly Lazy<bool> s_dummy = new(() => KernelHasKind("type", "dummy"));
    private static readonly Lazy<bool> s_vlan = new(() => KernelHasKind("link", "br0", "type", "vlan", "id", "5"));

    /// <summary>Whether this kernel has the dummy driver (CONFIG_DUMMY; this VM's kernel lacks it).</summary>
    public static bool HasDummy => s_dummy.Value;

    /// <summary>Whether this kernel has 802.1Q VLANs (CONFIG_VLAN_8021Q; this VM's kernel lacks it).</summary>
    public static bool HasVlan => s_vlan.Value;

    private static bool KernelHasKind(params string[] args)
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        Must("-n", ns, "link", "add", "br0", "type", "bridge");
        var (code, _, _) = Lab.Run("ip", ["-n", ns, "link", "add", "probe0", .. args]);
        return code == 0;
    }
}
