using System.Globalization;

namespace NetNs.Core;

/// <summary>An impairment a lab wants on one end of a link (both ends of a link get the link's keys).</summary>
public sealed record LabImpairmentSpec(string Namespace, string Link, LinkImpairmentSpec Spec);

/// <summary>
/// The impairment keys of a lab's Links entries, Networks entries (every member's link to the bridge) and member entries
/// (@{ Node = 'h1'; Rate = '10mbit' }): Rate, Burst, Delay, Jitter, Loss, Duplicate, Corrupt, Reorder, Limit; and how a deployment converges them: a link's ends (for a network member: the member's interface and its bridge port) whose impairment differs from the definition get
/// Set changes, made after every other change and touching only the qdisc and NetNs's nftables chains, so no link is
/// made again and every namespace and link keeps its identity. A partition (Set-NetNsLinkImpairment -Partition) is
/// runtime state that converging leaves alone.
/// </summary>
public static class LabImpairments
{
    /// <summary>The keys a Links entry may carry for its impairment.</summary>
    public static readonly string[] Keys = ["Rate", "Burst", "Delay", "Jitter", "Loss", "Duplicate", "Corrupt", "Reorder", "Limit"];

    /// <summary>Reads the impairment keys of a Links entry; null when it has none. Errors name the key.</summary>
    internal static LinkImpairmentSpec? Read(IReadOnlyDictionary<string, DefinitionValue> m, string key, Func<string, string, NetNsException> error)
    {
        if (!Keys.Any(m.ContainsKey))
            return null;
        T? Get<T>(string name, Func<DefinitionValue, T> read) where T : struct =>
            m.TryGetValue(name, out var v) ? Wrap(() => read(v), key + "." + name) : null;
        T Wrap<T>(Func<T> f, string k)
        {
            try
            {
                return f();
            }
            catch (NetNsException e)
            {
                throw error(k, e.Message);
            }
        }
        double Percent(DefinitionValue v, string name) => v.Scalar switch
        {
            long l when l is >= 0 and <= 100 => l,
            double d when d is >= 0 and <= 100 => d,
            _ => throw NetNsException.Invalid("read lab definition", name, $"must be a percentage from 0 to 100, not '{v.Scalar}'"),
        };
        TimeSpan Time(DefinitionValue v) => v.Scalar switch
        {
            string s => TcUnits.ParseTime(s),
            long or double => TimeSpan.FromMilliseconds(Convert.ToDouble(v.Scalar, CultureInfo.InvariantCulture)),
            _ => throw NetNsException.Invalid("read lab definition", "", $"must be a time ('20ms', '1.5s') or milliseconds, not '{v.Scalar}'"),
        };
        uint Count(DefinitionValue v, uint least) => v.Scalar is long l && l >= least && l <= int.MaxValue
            ? (uint)l : throw NetNsException.Invalid("read lab definition", "", $"must be a whole number of at least {least}, not '{v.Scalar}'");
        var spec = new LinkImpairmentSpec
        {
            RateBitsPerSecond = Get("Rate", v => v.Scalar switch
            {
                string s => TcUnits.ParseRate(s),
                long or double => TcUnits.ParseRate(Convert.ToDouble(v.Scalar, CultureInfo.InvariantCulture).ToString("F0", CultureInfo.InvariantCulture)),
                _ => throw NetNsException.Invalid("read lab definition", "", $"must be a rate ('10mbit') or bits per second, not '{v.Scalar}'"),
            }),
            BurstBytes = Get("Burst", v => Count(v, 1600)),
            Delay = Get("Delay", Time),
            Jitter = Get("Jitter", Time),
            Loss = Get("Loss", v => Percent(v, "Loss")),
            Duplicate = Get("Duplicate", v => Percent(v, "Duplicate")),
            Corrupt = Get("Corrupt", v => Percent(v, "Corrupt")),
            Reorder = Get("Reorder", v => Percent(v, "Reorder")),
            Limit = Get("Limit", v => Count(v, 1)),
        };
        if (spec.Jitter > TimeSpan.Zero && !(spec.Delay > TimeSpan.Zero))
            throw error(key + ".Jitter", "a jitter needs a Delay to vary around");
        if (spec.Reorder > 0 && !(spec.Delay > TimeSpan.Zero))
            throw error(key + ".Reorder", "reordering needs a Delay");
        return spec;
    }

    /// <summary>
    /// The Set changes that bring both ends of every link of <paramref name="definition"/> to its impairment (none
    /// when it has no keys), after <paramref name="planned"/>: an end made by the plan gets one only when the
    /// definition asks for an impairment; an end that runs gets one when what it has differs.
    /// </summary>
    internal static List<LabChange> Plan(LabDefinition definition, LabModel actual, IReadOnlyList<LabChange> planned)
    {
        var changes = new List<LabChange>();
        var made = planned.Where(c => c.Kind == LabObjectKind.Veth && c.Action == LabChangeAction.Add && c.Spec is LabVethSpec)
            .Select(c => (LabVethSpec)c.Spec).SelectMany(v => new[] { (v.Namespace, v.Name), (v.PeerNamespace, v.PeerName) }).ToHashSet();
        var running = actual.Veths.SelectMany(v => new[] { (v.Namespace, v.Name), (v.PeerNamespace, v.PeerName) }).ToHashSet();
        var peerNamespace = actual.Veths.SelectMany(v => new[] { ((v.Namespace, v.Name), v.PeerNamespace), ((v.PeerNamespace, v.PeerName), v.Namespace) })
            .GroupBy(e => e.Item1).ToDictionary(g => g.Key, g => g.First().Item2);
        // An end with no qdisc of its own, in a namespace without NetNs's netdev table and whose peer's namespace has
        // none either (where its loss would be dropped), has no impairment: nothing to read (converging a lab of
        // hundreds of members stays as cheap as before impairments existed).
        bool Plain((string Ns, string Link) end) =>
            !actual.Shaped.Contains(end) && !actual.ImpairmentTables.Contains(end.Ns)
            && !(peerNamespace.TryGetValue(end, out string? peer) && actual.ImpairmentTables.Contains(peer));
        void Want(string ns, string link, LinkImpairmentSpec want)
        {
            var key = (ns, link);
            bool differs = made.Contains(key) || !running.Contains(key) || Plain(key)
                ? !want.IsEmpty
                : !Matches(Current(ns, link), want);
            if (differs)
            {
                changes.Add(new LabChange
                {
                    Lab = definition.Name, Action = LabChangeAction.Set, Kind = LabObjectKind.Impairment, Namespace = ns,
                    Target = link, Detail = want.ToString(), Spec = new LabImpairmentSpec(ns, link, want),
                });
            }
        }
        foreach (var link in definition.Links)
        {
            var want = link.Impairment ?? new LinkImpairmentSpec();
            foreach (var end in new[] { link.A, link.B })
                Want(LabDefinition.NamespaceOf(definition.Name, end.Node), end.Interface, want);
        }
        // A network member's link to the bridge: the member's interface and its bridge port (named after the member).
        foreach (var network in definition.Networks)
        {
            foreach (var member in network.Members)
            {
                var want = network.ImpairmentOf(member) ?? new LinkImpairmentSpec();
                Want(LabDefinition.NamespaceOf(definition.Name, member.Node), network.Interface, want);
                Want(LabDefinition.NamespaceOf(definition.Name, network.Name), member.Node, want);
            }
        }
        return changes;
    }

    /// <summary>Makes one end's impairment what the lab wants (see <see cref="LinkShaper.Set"/>).</summary>
    internal static void Apply(NetlinkHandle rtnl, LabImpairmentSpec spec) => LinkShaper.Set(rtnl, spec.Link, spec.Spec);

    /// <summary>The impairment of a running lab link, or null when it cannot be read.</summary>
    public static NetNsLinkImpairment? Current(string ns, string link)
    {
        try
        {
            using var rtnl = NetlinkHandle.Open(NamespaceRef.FromName(ns));
            return LinkShaper.Get(rtnl, link);
        }
        catch (NetNsException)
        {
            return null;
        }
    }

    /// <summary>
    /// A running link end's impairment as lab keys (rate, delay, jitter, loss, duplicate, corrupt, reorder), or null
    /// when it has none or cannot be read: what Get-NetNsLab and Export-NetNsLab show.
    /// </summary>
    public static LinkImpairmentSpec? ReadSpec(string ns, string link)
    {
        var have = Current(ns, link);
        if (have is null || (have.Qdisc is null && have.Loss is null))
            return null;
        return LinkShaper.ToSpec(have) with { BurstBytes = null, Limit = null };
    }

    /// <summary>The keys of <paramref name="spec"/> as a Links entry writes them: Rate '10mbit', Delay '20ms', Loss 1…</summary>
    public static IEnumerable<(string Key, object Value)> Entries(LinkImpairmentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.RateBitsPerSecond is ulong r) yield return ("Rate", TcUnits.FormatRate(r));
        if (spec.BurstBytes is uint b) yield return ("Burst", b);
        if (spec.Delay is TimeSpan d) yield return ("Delay", Ms(d));
        if (spec.Jitter is TimeSpan j) yield return ("Jitter", Ms(j));
        if (spec.Loss is double l) yield return ("Loss", l);
        if (spec.Duplicate is double du) yield return ("Duplicate", du);
        if (spec.Corrupt is double c) yield return ("Corrupt", c);
        if (spec.Reorder is double o) yield return ("Reorder", o);
        if (spec.Limit is uint n) yield return ("Limit", n);
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";

    private static bool Matches(NetNsLinkImpairment? have, LinkImpairmentSpec want)
    {
        if (have is null)
            return want.IsEmpty;
        static bool Same(double? a, double? b) => Math.Abs((a ?? 0) - (b ?? 0)) < 0.005;
        static bool SameTime(TimeSpan? a, TimeSpan? b) => Math.Abs(((a ?? TimeSpan.Zero) - (b ?? TimeSpan.Zero)).TotalMicroseconds) < 100;
        return have.RateBitsPerSecond == want.RateBitsPerSecond && Same(have.Loss, want.Loss) && Same(have.Duplicate, want.Duplicate)
            && Same(have.Corrupt, want.Corrupt) && Same(have.Reorder, want.Reorder) && SameTime(have.Delay, want.Delay)
            && SameTime(have.Jitter, want.Jitter);
    }
}
