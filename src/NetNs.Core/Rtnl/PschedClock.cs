using System.Globalization;

namespace NetNs.Core;

/// <summary>
/// The packet scheduler's clock as the kernel advertises it in /proc/net/psched (t2us, us2t, clock resolution, hz),
/// and the conversions iproute2's tc makes with it (tc/tc_core.c): tbf buffers, rate tables and netem delays are
/// sent in "ticks" of this clock. The arithmetic, truncations included, is tc's, so requests match its bytes.
/// </summary>
public sealed class PschedClock
{
    /// <summary>TIME_UNITS_PER_SEC: tc counts time in microseconds.</summary>
    public const double TimeUnitsPerSecond = 1_000_000;

    private static readonly Lazy<PschedClock> s_kernel = new(() => Read("/proc/net/psched"));

    /// <summary>Ticks per microsecond (tc's tick_in_usec).</summary>
    public double TickInMicroseconds { get; }

    /// <summary>tc's clock_factor (clock resolution / 10^6).</summary>
    public double ClockFactor { get; }

    /// <summary>A clock made of the first three words of /proc/net/psched (hexadecimal in the file).</summary>
    public PschedClock(uint t2us, uint us2t, uint clockResolution)
    {
        if (us2t == 0)
            throw new NetNsException(NetNsErrorReason.MalformedReply, "read /proc/net/psched", "/proc/net/psched gives a zero us2t");
        // tc_core_init: the kernel advertises a multiplier of 1000 with a nanosecond clock, which really is 1.
        if (clockResolution == 1_000_000_000)
            t2us = us2t;
        ClockFactor = clockResolution / TimeUnitsPerSecond;
        TickInMicroseconds = (double)t2us / us2t * ClockFactor;
    }

    /// <summary>The running kernel's clock (read once).</summary>
    public static PschedClock Kernel => s_kernel.Value;

    /// <summary>Parses /proc/net/psched's text ("000003e8 00000040 000f4240 3b9aca00").</summary>
    public static PschedClock Parse(string text)
    {
        var words = (text ?? "").Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3
            || !uint.TryParse(words[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint t2us)
            || !uint.TryParse(words[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint us2t)
            || !uint.TryParse(words[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint res))
            throw new NetNsException(NetNsErrorReason.MalformedReply, "read /proc/net/psched", $"/proc/net/psched reads '{text?.Trim()}'");
        return new PschedClock(t2us, us2t, res);
    }

    private static PschedClock Read(string path) => Parse(File.ReadAllText(path));

    /// <summary>tc_core_time2tick: microseconds (truncated to a whole number first, as tc's unsigned int) to ticks.</summary>
    public uint TimeToTicks(double microseconds) => Trunc(Trunc(microseconds) * TickInMicroseconds);

    /// <summary>tc_core_tick2time: ticks to microseconds.</summary>
    public uint TicksToTime(uint ticks) => Trunc(ticks / TickInMicroseconds);

    /// <summary>tc_calc_xmittime: the ticks <paramref name="size"/> bytes take at <paramref name="bytesPerSecond"/>.</summary>
    public uint TransmitTime(ulong bytesPerSecond, uint size) => TimeToTicks(TimeUnitsPerSecond * ((double)size / bytesPerSecond));

    /// <summary>tc_calc_xmitsize: the bytes sent at <paramref name="bytesPerSecond"/> in <paramref name="ticks"/>.</summary>
    public uint TransmitSize(ulong bytesPerSecond, uint ticks) => Trunc((double)bytesPerSecond * TicksToTime(ticks) / TimeUnitsPerSecond);

    private static uint Trunc(double v) => v <= 0 ? 0 : v >= uint.MaxValue ? uint.MaxValue : (uint)v;
}
