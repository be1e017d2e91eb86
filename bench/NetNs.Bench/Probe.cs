using System.Diagnostics;
using System.Globalization;
using NetNs.Core;

namespace NetNs.Bench;

/// <summary>
/// --probe: the cost of NetNs.Core's building blocks, each repeated <c>count</c> times in a scratch namespace
/// (best of 3 rounds, µs per call), to tell the kernel's share of a step from the library's.
/// </summary>
internal static class Probe
{
    public static void Run(string prefix, int count, CancellationToken ct)
    {
        string name = prefix + "probe";
        NamedNamespaces.Create(name);
        try
        {
            using var ns = NamespaceHandle.OpenName(name);
            using var h = NetlinkHandle.Open(ns);
            h.SetLinkState("lo", true);
            using var here = NetlinkHandle.Open();

            Console.WriteLine($"NetNs.Core building blocks, best of 3 rounds of {count} calls, µs per call:");
            Measure("new Thread + Start + Join (empty)", count, ct, () =>
            {
                var t = new Thread(() => { }) { IsBackground = true };
                t.Start();
                t.Join();
            });
            Measure("NamespaceHandle.OpenName + Dispose", count, ct, () => NamespaceHandle.OpenName(name).Dispose());
            Measure("NetlinkHandle.Open() here + Dispose", count, ct, () => NetlinkHandle.Open().Dispose());
            Measure("NetlinkHandle.Open(ns) + Dispose", count, ct, () => NetlinkHandle.Open(ns).Dispose());
            Measure("NamespaceThread.Run(ns, no-op)", count, ct, () => NamespaceThread.Run(ns, () => { }));
            Measure("GetLinkIndex(\"lo\") (1 round trip)", count, ct, () => h.GetLinkIndex("lo"));
            Measure("SetLinkState(lo, up), already up", count, ct, () => h.SetLinkState("lo", true));
            Measure("GetNsId(ns) from here", count, ct, () => here.GetNsId(ns));
            Measure("GetAddresses(\"lo\") (link + addr dump)", count, ct, () => h.GetAddresses("lo"));
            Measure("NamespaceCatalog.Describe(name)", count, ct, () => NamespaceCatalog.Describe(name));
            Measure("NamedNamespaces.Create + Delete", count, ct, () =>
            {
                NamedNamespaces.Create(name + "x");
                NamedNamespaces.Delete(name + "x");
            });
        }
        finally
        {
            Cleanup.All(name, Console.Error);
        }
    }

    private static void Measure(string label, int count, CancellationToken ct, Action action)
    {
        double best = double.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            ct.ThrowIfCancellationRequested();
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++)
                action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalMicroseconds / count);
        }
        Console.WriteLine($"  {label,-42} {best.ToString("0.0", CultureInfo.InvariantCulture),8}");
    }
}
