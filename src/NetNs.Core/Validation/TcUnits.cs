using System.Globalization;

namespace NetNs.Core;

/// <summary>
/// Rates and sizes as tc writes them (tc(8) "PARAMETERS"): rates in bits per second with bit/kbit/mbit/gbit/tbit
/// (powers of 1000), kibit/mibit/gibit/tibit (powers of 1024) or bps/kbps/mbps/gbps (bytes per second); a bare
/// number is bits per second. Probabilities as tc sends them: a fraction of 2^32 - 1.
/// </summary>
public static class TcUnits
{
    private static readonly (string Suffix, double Factor)[] RateSuffixes =
    [
        ("tibit", 1024d * 1024 * 1024 * 1024), ("gibit", 1024d * 1024 * 1024), ("mibit", 1024d * 1024), ("kibit", 1024),
        ("tbit", 1e12), ("gbit", 1e9), ("mbit", 1e6), ("kbit", 1e3), ("bit", 1),
        ("tbps", 8e12), ("gbps", 8e9), ("mbps", 8e6), ("kbps", 8e3), ("bps", 8),
    ];

    /// <summary>
    /// Parses a rate ("10mbit", "1gbit", "500kbit", "1000000") into bits per second; InvalidArgument when it is not
    /// one, or below 8 bit/s (one byte per second, the least tc can send).
    /// </summary>
    public static ulong ParseRate(string text)
    {
        string t = (text ?? "").Trim().ToLowerInvariant();
        double factor = 1;
        foreach (var (suffix, f) in RateSuffixes)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                t = t[..^suffix.Length];
                factor = f;
                break;
            }
        }
        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n) || double.IsInfinity(n * factor))
            throw NetNsException.Invalid("set link impairment", text ?? "", $"'{text}' is not a rate: write bits per second, or a number with bit, kbit, mbit, gbit, kibit, mibit, gibit or bps, kbps, mbps, gbps (10mbit, 1gbit)");
        double bits = n * factor;
        if (bits < 8 || bits > 8e15)
            throw NetNsException.Invalid("set link impairment", text ?? "", $"rate '{text}' is out of range (8 bit/s to 8 Pbit/s)");
        return (ulong)bits;
    }

    /// <summary>A rate for people: 10mbit, 1.5gbit, 800kbit, 64bit (powers of 1000, as tc prints).</summary>
    public static string FormatRate(ulong bitsPerSecond)
    {
        foreach (var (suffix, f) in new[] { ("tbit", 1e12), ("gbit", 1e9), ("mbit", 1e6), ("kbit", 1e3) })
        {
            if (bitsPerSecond >= f)
                return (bitsPerSecond / f).ToString("0.###", CultureInfo.InvariantCulture) + suffix;
        }
        return bitsPerSecond.ToString(CultureInfo.InvariantCulture) + "bit";
    }

    /// <summary>A percentage (0–100) as tc sends a probability: rint(fraction × (2^32 − 1)).</summary>
    public static uint Probability(double percent)
    {
        if (double.IsNaN(percent) || percent < 0 || percent > 100)
            throw NetNsException.Invalid("set link impairment", percent.ToString(CultureInfo.InvariantCulture), $"{percent} is not a percentage (0 to 100)");
        return (uint)Math.Round(percent / 100 * uint.MaxValue, MidpointRounding.ToEven);
    }

    /// <summary>A probability the kernel reports back as a percentage, to 4 decimals.</summary>
    public static double Percent(uint probability) => Math.Round(probability / (double)uint.MaxValue * 100, 4);

    private static readonly (string Suffix, double Microseconds)[] TimeSuffixes =
    [
        ("usecs", 1), ("usec", 1), ("us", 1), ("µs", 1), ("nsecs", 1e-3), ("nsec", 1e-3), ("ns", 1e-3),
        ("msecs", 1e3), ("msec", 1e3), ("ms", 1e3), ("secs", 1e6), ("sec", 1e6), ("s", 1e6),
    ];

    /// <summary>
    /// Parses a time as tc writes it ("20ms", "1.5s", "500us", "100ns") or as a TimeSpan ("00:00:00.020"); a unit is
    /// required. InvalidArgument when it is neither.
    /// </summary>
    public static TimeSpan ParseTime(string text)
    {
        string t = (text ?? "").Trim().ToLowerInvariant();
        foreach (var (suffix, us) in TimeSuffixes)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(t[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n)
                && n * us / 1e6 < TimeSpan.MaxValue.TotalSeconds)
                return TimeSpan.FromTicks((long)Math.Round(n * us * 10));
        }
        if (t.Contains(':') && TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var span))
            return span;
        throw NetNsException.Invalid("set link impairment", text ?? "", $"'{text}' is not a time: write a number with ms, s, us or ns (20ms, 1.5s), or a TimeSpan");
    }
}
