namespace NetNs.Core;

/// <summary>
/// What a link's egress is made to suffer, as asked for: a rate (tbf), delay, jitter, loss, duplication, corruption,
/// reordering (netem) and the queue's length. Null (or 0) is "none".
/// </summary>
public sealed record LinkImpairmentSpec
{
    /// <summary>The rate in bits per second.</summary>
    public ulong? RateBitsPerSecond { get; init; }

    /// <summary>The token bucket's size in bytes (default: 10 ms at the rate, at least 16 KiB).</summary>
    public uint? BurstBytes { get; init; }

    /// <summary>Added delay (netem).</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Jitter around the delay (netem).</summary>
    public TimeSpan? Jitter { get; init; }

    /// <summary>Share of packets dropped, in percent (netem, or nftables without netem).</summary>
    public double? Loss { get; init; }

    /// <summary>Share of packets sent twice, in percent (netem).</summary>
    public double? Duplicate { get; init; }

    /// <summary>Share of packets with a bit flipped, in percent (netem).</summary>
    public double? Corrupt { get; init; }

    /// <summary>Share of packets sent at once while the others are delayed, in percent (netem; needs a delay).</summary>
    public double? Reorder { get; init; }

    /// <summary>The queue's length in packets (netem's limit; for a tbf, that many 1514-byte frames).</summary>
    public uint? Limit { get; init; }

    /// <summary>Whether something only netem can do is asked for.</summary>
    public bool NeedsNetem => Delay > TimeSpan.Zero || Jitter > TimeSpan.Zero || Duplicate > 0 || Corrupt > 0 || Reorder > 0;

    /// <summary>Whether nothing at all is asked for.</summary>
    public bool IsEmpty => !NeedsNetem && RateBitsPerSecond is null && !(Loss > 0);

    /// <summary>"rate 10mbit, delay 20ms, loss 1%", or "none" (what -WhatIf says).</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (RateBitsPerSecond is ulong r) parts.Add("rate " + TcUnits.FormatRate(r));
        if (BurstBytes is uint b) parts.Add($"burst {b}B");
        if (Delay is TimeSpan d) parts.Add($"delay {d.TotalMilliseconds:0.###}ms");
        if (Jitter is TimeSpan j) parts.Add($"jitter {j.TotalMilliseconds:0.###}ms");
        if (Loss is double l) parts.Add($"loss {l:0.##}%");
        if (Duplicate is double dup) parts.Add($"duplicate {dup:0.##}%");
        if (Corrupt is double c) parts.Add($"corrupt {c:0.##}%");
        if (Reorder is double o) parts.Add($"reorder {o:0.##}%");
        if (Limit is uint n) parts.Add($"limit {n}");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}

/// <summary>A link's impairment as the kernel holds it (root qdisc and NetNs's nftables chains), as Get-NetNsLinkImpairment shows it.</summary>
public sealed class NetNsLinkImpairment
{
    /// <summary>The namespace; null for the caller's own.</summary>
    public string? Namespace { get; init; }

    /// <summary>The link.</summary>
    public string InterfaceAlias { get; init; } = "";

    /// <summary>The rate as tc writes it (10mbit), or null.</summary>
    public string? Rate => RateBitsPerSecond is ulong r ? TcUnits.FormatRate(r) : null;

    /// <summary>The rate in bits per second, or null.</summary>
    public ulong? RateBitsPerSecond { get; init; }

    /// <summary>The token bucket in bytes (tbf), or null.</summary>
    public uint? BurstBytes { get; init; }

    /// <summary>Added delay, or null.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Jitter, or null.</summary>
    public TimeSpan? Jitter { get; init; }

    /// <summary>Loss in percent, or null.</summary>
    public double? Loss { get; init; }

    /// <summary>Duplication in percent, or null.</summary>
    public double? Duplicate { get; init; }

    /// <summary>Corruption in percent, or null.</summary>
    public double? Corrupt { get; init; }

    /// <summary>Reordering in percent, or null.</summary>
    public double? Reorder { get; init; }

    /// <summary>netem's queue in packets, or a tbf's in bytes (see <see cref="Qdisc"/>).</summary>
    public uint? Limit { get; init; }

    /// <summary>The root qdisc NetNs set: tbf, netem, netem+tbf, or null (the kernel's default).</summary>
    public string? Qdisc { get; init; }

    /// <summary>Where the loss is made: netem, or nftables (NetNs's `netdev netns` table) where netem is missing.</summary>
    public string? LossBy { get; init; }

    /// <summary>Whether the link is partitioned (everything dropped both ways) until healed.</summary>
    public bool Partitioned { get; init; }

    /// <summary>Whether the link suffers nothing.</summary>
    public bool IsEmpty => Qdisc is null && Loss is null && !Partitioned;

    /// <summary>"rate 10mbit, loss 1%", or "none": what an edge label of a lab drawing shows.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Partitioned) parts.Add("partitioned");
        if (Rate is not null) parts.Add("rate " + Rate);
        if (Delay is TimeSpan d) parts.Add($"delay {d.TotalMilliseconds:0.###}ms" + (Jitter is TimeSpan j && j > TimeSpan.Zero ? $" ±{j.TotalMilliseconds:0.###}ms" : ""));
        if (Loss is double l) parts.Add($"loss {l:0.##}%");
        if (Duplicate is double dup) parts.Add($"duplicate {dup:0.##}%");
        if (Corrupt is double c) parts.Add($"corrupt {c:0.##}%");
        if (Reorder is double r) parts.Add($"reorder {r:0.##}%");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}
