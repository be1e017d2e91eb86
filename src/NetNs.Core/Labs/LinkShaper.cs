using System.Globalization;
using NetNs.Core.Netlink;

namespace NetNs.Core;

/// <summary>
/// Impairs a link's egress like a real link: a rate through tbf; delay, jitter, duplication, corruption and
/// reordering through netem (with a tbf under it for a rate); loss through netem, or where the kernel has no
/// sch_netem through an nftables rule in NetNs's `netdev netns` table; and partitions (everything dropped both ways)
/// through nftables, which leave the rest in place so that healing restores what was set before.
/// </summary>
public static class LinkShaper
{
    /// <summary>The least burst NetNs gives a tbf: above any frame, GSO segments included after tbf splits them.</summary>
    public const uint MinimumBurst = 16 * 1024;

    /// <summary>The queue latency a tbf gets when no -Limit is given (tc's `latency`).</summary>
    public const uint DefaultLatencyMicroseconds = 50_000;

    /// <summary>
    /// Makes <paramref name="link"/>'s impairment exactly <paramref name="spec"/> (what it leaves out is none); a
    /// partition stays. NetemNotAvailable, with nothing changed, when netem-only settings meet a kernel without
    /// sch_netem. If a later step fails, what the link had before is put back.
    /// Equivalent to: `tc qdisc replace dev LINK root tbf|netem …` (or `tc qdisc del dev LINK root`) and, without
    /// netem, `nft add rule netdev netns loss-LINK numgen random mod 10000 &lt; N drop`.
    /// </summary>
    public static void Set(NetlinkHandle rtnl, string link, LinkImpairmentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(rtnl);
        ArgumentNullException.ThrowIfNull(spec);
        Validate(link, spec);
        rtnl.GetLinkIndex(link); // LinkNotFound before anything
        var before = Get(rtnl, link);
        try
        {
            Apply(rtnl, link, spec);
        }
        catch (NetNsException e) when (e.Reason != NetNsErrorReason.NetemNotAvailable || !spec.NeedsNetem)
        {
            try
            {
                Apply(rtnl, link, ToSpec(before));
            }
            catch (NetNsException)
            {
                // best effort: the first error is the one to report
            }
            throw;
        }
    }

    private static void Apply(NetlinkHandle rtnl, string link, LinkImpairmentSpec spec)
    {
        TbfSpec? tbf = spec.RateBitsPerSecond is ulong rate ? Tbf(rate, spec) : null;
        if (spec.NeedsNetem || spec.Loss > 0)
        {
            var netem = new NetemSpec(Micro(spec.Delay), Micro(spec.Jitter), spec.Loss ?? 0, spec.Duplicate ?? 0,
                spec.Corrupt ?? 0, spec.Reorder ?? 0, spec.Limit ?? 1000);
            try
            {
                rtnl.ReplaceRootNetem(link, netem, tbf);
                using var at = DropPoint.Of(rtnl, link);
                ImpairmentRules.Remove(at.Namespace, link, at.Chain("loss"));
                return;
            }
            catch (NetNsException e) when (e.Reason == NetNsErrorReason.NetemNotAvailable && !spec.NeedsNetem)
            {
                // loss alone (with or without a rate) falls back to tbf and nftables below
            }
        }
        if (tbf is not null)
            rtnl.ReplaceRootTbf(link, tbf);
        else
            rtnl.DeleteRootQdisc(link);
        using var point = DropPoint.Of(rtnl, link);
        if (spec.Loss > 0)
            ImpairmentRules.SetDrop(point.Namespace, point.Chain("loss"), point.Hook, point.Device, spec.Loss.Value, "set the loss of");
        else
            ImpairmentRules.Remove(point.Namespace, link, point.Chain("loss"));
    }

    /// <summary>
    /// The impairment of <paramref name="link"/>: its root qdisc if NetNs's kind (tbf, netem), NetNs's loss and
    /// partition chains. Equivalent to: `tc qdisc show dev LINK` and `nft list table netdev netns`.
    /// </summary>
    public static NetNsLinkImpairment Get(NetlinkHandle rtnl, string link)
    {
        ArgumentNullException.ThrowIfNull(rtnl);
        var qdiscs = rtnl.GetQdiscs(link);
        var root = qdiscs.FirstOrDefault(q => q.Parent == TcMsg.Root);
        var child = root?.Netem is not null ? qdiscs.FirstOrDefault(q => q.Parent == NetlinkHandle.NetemClass && q.Tbf is not null) : null;
        var tbf = root?.Tbf ?? child?.Tbf;
        var netem = root?.Netem;
        using var point = DropPoint.Of(rtnl, link);
        var far = ImpairmentRules.Read(point.Namespace);
        var near = point.Namespace == rtnl.Namespace ? far : ImpairmentRules.Read(rtnl.Namespace);
        double? nftLoss = far.TryGetValue(point.Chain("loss"), out double l) ? l : null;
        bool partitioned = near.ContainsKey(ImpairmentRules.Chain("partition", link, "ingress"));
        double? loss = netem is { LossPercent: > 0 } ? netem.LossPercent : nftLoss;
        return new NetNsLinkImpairment
        {
            Namespace = rtnl.NamespaceName,
            InterfaceAlias = link,
            RateBitsPerSecond = tbf?.RateBitsPerSecond ?? netem?.RateBitsPerSecond,
            BurstBytes = tbf?.BurstBytes,
            Delay = netem is { DelayMicroseconds: > 0 } ? TimeSpan.FromMicroseconds(netem.DelayMicroseconds) : null,
            Jitter = netem is { JitterMicroseconds: > 0 } ? TimeSpan.FromMicroseconds(netem.JitterMicroseconds) : null,
            Loss = loss,
            Duplicate = netem is { DuplicatePercent: > 0 } ? netem.DuplicatePercent : null,
            Corrupt = netem is { CorruptPercent: > 0 } ? netem.CorruptPercent : null,
            Reorder = netem is { ReorderPercent: > 0 } ? netem.ReorderPercent : null,
            Limit = netem?.Limit ?? tbf?.LimitBytes,
            Qdisc = netem is not null ? (child is null ? "netem" : "netem+tbf") : tbf is not null ? "tbf" : null,
            LossBy = loss is null ? null : netem is { LossPercent: > 0 } ? "netem" : "nftables",
            Partitioned = partitioned,
        };
    }

    /// <summary>
    /// Removes every impairment of <paramref name="link"/>, a partition included.
    /// Equivalent to: `tc qdisc del dev LINK root` and deleting NetNs's nftables chains of the link.
    /// </summary>
    public static void Clear(NetlinkHandle rtnl, string link)
    {
        ArgumentNullException.ThrowIfNull(rtnl);
        rtnl.DeleteRootQdisc(link);
        using var point = DropPoint.Of(rtnl, link);
        HealAt(rtnl, link, point);
        ImpairmentRules.Remove(point.Namespace, link, point.Chain("loss"));
    }

    /// <summary>
    /// Partitions <paramref name="link"/>: everything it sends or receives is dropped (100 % loss both ways), while its
    /// rate, delay and loss stay set for <see cref="Heal"/> to bring back. Equivalent to: `nft add chain netdev netns
    /// partition-LINK-ingress { type filter hook ingress device LINK priority 0; }` with a `drop` rule, and the same
    /// on the veth peer's ingress (in the peer's namespace), or on the link's egress when the peer cannot be reached.
    /// </summary>
    public static void Partition(NetlinkHandle rtnl, string link)
    {
        ArgumentNullException.ThrowIfNull(rtnl);
        Names.CheckInterfaceName(link, "partition link");
        using var point = DropPoint.Of(rtnl, link);
        string near = ImpairmentRules.Chain("partition", link, "ingress");
        ImpairmentRules.SetDrop(rtnl.Namespace, near, "ingress", link, null, "partition");
        try
        {
            ImpairmentRules.SetDrop(point.Namespace, point.Chain("partition"), point.Hook, point.Device, null, "partition");
        }
        catch (NetNsException)
        {
            ImpairmentRules.Remove(rtnl.Namespace, link, near);
            throw;
        }
    }

    /// <summary>Ends a partition of <paramref name="link"/>; the impairment set before it holds again. Nothing when not partitioned.</summary>
    public static void Heal(NetlinkHandle rtnl, string link)
    {
        ArgumentNullException.ThrowIfNull(rtnl);
        using var point = DropPoint.Of(rtnl, link);
        HealAt(rtnl, link, point);
    }

    private static void HealAt(NetlinkHandle rtnl, string link, DropPoint point)
    {
        ImpairmentRules.Remove(point.Namespace, link, point.Chain("partition"));
        ImpairmentRules.Remove(rtnl.Namespace, link, ImpairmentRules.Chain("partition", link, "ingress"));
    }

    /// <summary>
    /// Where NetNs drops what a link sends when netem cannot: the ingress of its veth peer, in the peer's namespace
    /// (silent to the sender, as a lossy wire is); or, when the link has no peer NetNs can reach, the link's own
    /// egress (where a local sender sees each drop as ENOBUFS, and ping or TCP retry at once).
    /// </summary>
    private sealed class DropPoint : IDisposable
    {
        private readonly bool _owned;

        private DropPoint(NamespaceHandle? ns, bool owned, string device, string hook)
        {
            Namespace = ns;
            _owned = owned;
            Device = device;
            Hook = hook;
        }

        public NamespaceHandle? Namespace { get; }
        public string Device { get; }
        public string Hook { get; }

        public string Chain(string purpose) => ImpairmentRules.Chain(purpose, Device, Hook);

        public static DropPoint Of(NetlinkHandle rtnl, string link)
        {
            var l = rtnl.GetLink(link);
            if (l.Kind == "veth" && l.PeerName is string peer)
            {
                if (l.PeerNamespaceId is null)
                    return new DropPoint(rtnl.Namespace, false, peer, "ingress");
                if (l.PeerNamespace is string name)
                {
                    try
                    {
                        return new DropPoint(NamespaceRef.FromName(name).Open(), true, peer, "ingress");
                    }
                    catch (NetNsException)
                    {
                        // gone or not ours to enter: the link's own egress
                    }
                }
            }
            return new DropPoint(rtnl.Namespace, false, link, "egress");
        }

        public void Dispose()
        {
            if (_owned)
                Namespace?.Dispose();
        }
    }

    /// <summary>The spec that gives back <paramref name="current"/> (what Set restores when a step fails).</summary>
    public static LinkImpairmentSpec ToSpec(NetNsLinkImpairment current) => new()
    {
        RateBitsPerSecond = current.RateBitsPerSecond,
        BurstBytes = current.BurstBytes,
        Delay = current.Delay,
        Jitter = current.Jitter,
        Loss = current.Loss,
        Duplicate = current.Duplicate,
        Corrupt = current.Corrupt,
        Reorder = current.Reorder,
        Limit = current.Qdisc is "netem" or "netem+tbf" ? current.Limit : null,
    };

    private static TbfSpec Tbf(ulong rate, LinkImpairmentSpec spec)
    {
        uint burst = spec.BurstBytes ?? (uint)Math.Min(uint.MaxValue, Math.Max(MinimumBurst, rate / 8 / 100));
        return spec.Limit is uint packets
            ? new TbfSpec(rate, burst, null, (uint)Math.Min(uint.MaxValue, (ulong)packets * 1514 + burst))
            : new TbfSpec(rate, burst, DefaultLatencyMicroseconds);
    }

    private static double Micro(TimeSpan? t) => t is TimeSpan v ? v.Ticks / 10.0 : 0;

    private static void Validate(string link, LinkImpairmentSpec spec)
    {
        Names.CheckInterfaceName(link, "set link impairment");
        Percent(spec.Loss, "loss");
        Percent(spec.Duplicate, "duplicate");
        Percent(spec.Corrupt, "corrupt");
        Percent(spec.Reorder, "reorder");
        foreach (var (t, what) in new[] { (spec.Delay, "delay"), (spec.Jitter, "jitter") })
        {
            if (t is TimeSpan v && (v < TimeSpan.Zero || v > TimeSpan.FromSeconds(200)))
                throw NetNsException.Invalid("set link impairment", what, $"a {what} of {v} is out of range (0 to 200 s)");
        }
        if (spec.Jitter > TimeSpan.Zero && !(spec.Delay > TimeSpan.Zero))
            throw NetNsException.Invalid("set link impairment", "jitter", "a jitter needs a delay to vary around");
        if (spec.Reorder > 0 && !(spec.Delay > TimeSpan.Zero))
            throw NetNsException.Invalid("set link impairment", "reorder", "reordering needs a delay (netem sends the reordered packets at once and delays the others)");
        if (spec.BurstBytes is uint b && b < 1600)
            throw NetNsException.Invalid("set link impairment", "burst", $"a burst of {b} bytes is smaller than one frame (at least 1600)");
        if (spec.Limit is 0)
            throw NetNsException.Invalid("set link impairment", "limit", "a queue of 0 packets drops everything: use -Partition");
    }

    private static void Percent(double? p, string what)
    {
        if (p is double v && (double.IsNaN(v) || v < 0 || v > 100))
            throw NetNsException.Invalid("set link impairment", what, $"{what} {v.ToString(CultureInfo.InvariantCulture)} is not a percentage (0 to 100)");
    }
}
