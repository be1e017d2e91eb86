using System.Diagnostics;

namespace NetNs.Core;

/// <summary>
/// Link rates over an interval: one link dump (IFLA_STATS64 of every link, one request) at the start and one at the end,
/// through the same netlink handle, the interval taken by a monotonic clock between the two replies. Equivalent to:
/// `ip -s link show` twice and the difference divided by the time between.
/// </summary>
public sealed class LinkRateMeter
{
    /// <summary>The shortest interval measured (shorter ones mostly measure the dump itself).</summary>
    public static readonly TimeSpan MinimumDuration = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest interval measured in one call.</summary>
    public static readonly TimeSpan MaximumDuration = TimeSpan.FromHours(24);

    private readonly NetlinkHandle _rtnl;
    private readonly IReadOnlyList<string> _links;
    private readonly Dictionary<string, LinkMessage> _first;
    private readonly Stopwatch _clock;

    private LinkRateMeter(NetlinkHandle rtnl, IReadOnlyList<string> links)
    {
        _rtnl = rtnl;
        _links = links;
        _first = Sample(null);
        _clock = Stopwatch.StartNew();
    }

    /// <summary>
    /// Takes the first sample of <paramref name="links"/> (names, as they are now) in the namespace of
    /// <paramref name="rtnl"/>; <see cref="Finish"/> takes the second. LinkNotFound when a link is not there.
    /// </summary>
    public static LinkRateMeter Start(NetlinkHandle rtnl, IReadOnlyList<string> links)
    {
        ArgumentNullException.ThrowIfNull(rtnl);
        ArgumentNullException.ThrowIfNull(links);
        foreach (string name in links)
            Names.CheckInterfaceName(name, "measure link");
        return new LinkRateMeter(rtnl, links.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// Measures over <paramref name="duration"/>: <see cref="Start"/>, a wait, <see cref="Finish"/>. Cancelling ends the
    /// wait early; the rates are then over the time actually waited.
    /// </summary>
    public static IReadOnlyList<NetNsLinkRate> Measure(NetlinkHandle rtnl, IReadOnlyList<string> links, TimeSpan duration,
        CancellationToken cancellation = default)
    {
        CheckDuration(duration);
        var meter = Start(rtnl, links);
        cancellation.WaitHandle.WaitOne(duration);
        return meter.Finish();
    }

    /// <summary>InvalidArgument unless <paramref name="duration"/> is between the minimum and the maximum.</summary>
    public static void CheckDuration(TimeSpan duration)
    {
        if (duration < MinimumDuration || duration > MaximumDuration)
            throw NetNsException.Invalid("measure link", duration.ToString(),
                $"the duration must be between {MinimumDuration.TotalMilliseconds} ms and {MaximumDuration.TotalHours} h, not {duration}");
    }

    /// <summary>
    /// The second sample and the rates since <see cref="Start"/>, one per link in the order given; LinkNotFound when a
    /// link has gone (or was replaced: another ifindex) meanwhile.
    /// </summary>
    public IReadOnlyList<NetNsLinkRate> Finish()
    {
        var second = Sample(_first);
        var interval = _clock.Elapsed;
        double seconds = Math.Max(interval.TotalSeconds, 1e-6);
        var rates = new List<NetNsLinkRate>(_links.Count);
        foreach (string name in _links)
        {
            LinkMessage a = _first[name], b = second[name];
            ulong rxBytes = b.RxBytes - a.RxBytes, txBytes = b.TxBytes - a.TxBytes;
            ulong rxPackets = b.RxPackets - a.RxPackets, txPackets = b.TxPackets - a.TxPackets;
            rates.Add(new NetNsLinkRate
            {
                Namespace = _rtnl.NamespaceName,
                Name = name,
                InterfaceIndex = a.Index,
                Interval = interval,
                RxBitsPerSecond = rxBytes * 8 / seconds,
                TxBitsPerSecond = txBytes * 8 / seconds,
                RxPacketsPerSecond = rxPackets / seconds,
                TxPacketsPerSecond = txPackets / seconds,
                RxBytes = rxBytes,
                TxBytes = txBytes,
                RxPackets = rxPackets,
                TxPackets = txPackets,
                RxDropped = b.RxDropped - a.RxDropped,
                TxDropped = b.TxDropped - a.TxDropped,
                RxErrors = b.RxErrors - a.RxErrors,
                TxErrors = b.TxErrors - a.TxErrors,
            });
        }
        return rates;
    }

    // One dump: every link's counters read by the kernel in one pass, so the links' samples are taken together.
    private Dictionary<string, LinkMessage> Sample(Dictionary<string, LinkMessage>? before)
    {
        var byName = new Dictionary<string, LinkMessage>(StringComparer.Ordinal);
        foreach (var m in _rtnl.DumpLinks(withCounters: true))
            byName[m.Name] = m;
        string where = _rtnl.NamespaceName is { } ns ? $" in namespace '{ns}'" : "";
        foreach (string name in _links)
        {
            if (!byName.TryGetValue(name, out var m) || (before is not null && before[name].Index != m.Index))
                throw new NetNsException(NetNsErrorReason.LinkNotFound, "measure link",
                    before is null
                        ? $"link '{name}' not found{where}"
                        : $"link '{name}'{where} went away (or was replaced) while it was measured",
                    name, Interop.Errno.ENODEV);
        }
        return byName;
    }
}
