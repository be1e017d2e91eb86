using System.Diagnostics;
using System.Globalization;

namespace NetNs.Bench;

/// <summary>
/// Waits until the machine is quiet. Deleting a named namespace only drops the last reference: the kernel
/// destroys the namespace and its links later, on its netns workqueue (cleanup_net), holding rtnl_lock for
/// part of it. Without a wait that work would land in the next variant's figures. Quiet means all CPUs
/// together (less this process) were at most <see cref="BusyThreshold"/> busy for <see cref="QuietWindows"/> consecutive
/// windows of <see cref="Window"/>, per /proc/stat. Bounded by <see cref="Limit"/>.
/// </summary>
internal static class Settle
{
    public const double BusyThreshold = 0.05;
    public const int QuietWindows = 3;
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>Returns how long it took (Limit, and timedOut, when the machine never went quiet).</summary>
    public static TimeSpan WaitQuiet(CancellationToken ct, out bool timedOut)
    {
        var sw = Stopwatch.StartNew();
        int quiet = 0;
        var (busy0, total0) = Read();
        timedOut = false;
        for (int i = 0; i < (int)(Limit / Window); i++)
        {
            if (ct.WaitHandle.WaitOne(Window))
                break;
            var (busy1, total1) = Read();
            double fraction = total1 > total0 ? (double)(busy1 - busy0) / (total1 - total0) : 0;
            (busy0, total0) = (busy1, total1);
            quiet = fraction <= BusyThreshold ? quiet + 1 : 0;
            if (quiet >= QuietWindows)
                return sw.Elapsed - QuietWindows * Window; // the quiet windows themselves are not reclaim time
        }
        timedOut = !ct.IsCancellationRequested;
        return sw.Elapsed;
    }

    /// <summary>
    /// (busy, total) jiffies of all CPUs from the first line of /proc/stat, less what this process used itself
    /// (its JIT and GC threads finishing in the background are not the kernel's reclaim).
    /// </summary>
    private static (long Busy, long Total) Read()
    {
        var own = File.ReadAllText("/proc/self/stat");
        var rest = own[(own.LastIndexOf(')') + 2)..].Split(' '); // fields from 3 (state) on
        long self = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture); // utime, stime
        string line = File.ReadLines("/proc/stat").First();
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // cpu user nice system idle iowait irq softirq steal [guest guest_nice: already counted in user/nice]
        long total = 0;
        for (int i = 1; i <= Math.Min(8, f.Length - 1); i++)
            total += long.Parse(f[i], CultureInfo.InvariantCulture);
        long idle = long.Parse(f[4], CultureInfo.InvariantCulture) + long.Parse(f[5], CultureInfo.InvariantCulture);
        return (total - idle - self, total);
    }
}
