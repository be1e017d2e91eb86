namespace NetNs.Core;

/// <summary>
/// A token bucket (sch_tbf): <paramref name="RateBitsPerSecond"/>, a bucket of <paramref name="BurstBytes"/>, and a
/// queue of <paramref name="LimitBytes"/> (or, when null, as many bytes as <paramref name="LatencyMicroseconds"/> at
/// the rate plus the burst hold, as tc computes from `latency`).
/// </summary>
public sealed record TbfSpec(ulong RateBitsPerSecond, uint BurstBytes, uint? LatencyMicroseconds = 50_000, uint? LimitBytes = null);

/// <summary>
/// A network emulator (sch_netem): delay and jitter in microseconds, probabilities in percent, a queue of
/// <paramref name="Limit"/> packets and an optional rate in bits per second.
/// </summary>
public sealed record NetemSpec(double DelayMicroseconds = 0, double JitterMicroseconds = 0, double LossPercent = 0,
    double DuplicatePercent = 0, double CorruptPercent = 0, double ReorderPercent = 0, uint Limit = 1000, ulong? RateBitsPerSecond = null);

/// <summary>A qdisc of a link as the kernel reports it: kind, handle, parent, and the options NetNs reads back.</summary>
public sealed record QdiscInfo(string Kind, uint Handle, uint Parent, TbfState? Tbf = null, NetemState? Netem = null);

/// <summary>A tbf's settings read back: rate in bits per second, burst and limit in bytes.</summary>
public sealed record TbfState(ulong RateBitsPerSecond, uint BurstBytes, uint LimitBytes);

/// <summary>A netem's settings read back (times in microseconds, probabilities in percent).</summary>
public sealed record NetemState(double DelayMicroseconds, double JitterMicroseconds, double LossPercent, double DuplicatePercent,
    double CorruptPercent, double ReorderPercent, uint Limit, ulong? RateBitsPerSecond);
