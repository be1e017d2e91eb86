using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NetNs.Core;

namespace NetNs.Bench;

/// <summary>
/// --scan: Get-ContainerNetNs's discovery against `lsns -t net -J`, in the same run, over N namespaces made with
/// `unshare -n`, each holding P processes (an sh and P - 1 sleeps, all ending by themselves after 120 s).
/// Every process it starts is killed (the whole tree) in finally, also after a failure or Ctrl-C.
/// </summary>
internal static class ScanBench
{
    public static int Run(int namespaces, int perNamespace, int repeat, CancellationToken ct)
    {
        var roots = new List<Process>();
        bool failed = false;
        try
        {
            // sh -c with a fixed text (no input in it): P - 1 sleeps in the background, then wait.
            string script = string.Join(" ", Enumerable.Repeat("sleep 120 &", perNamespace - 1)) + " wait";
            for (int i = 0; i < namespaces && !ct.IsCancellationRequested; i++)
                roots.Add(Process.Start(new ProcessStartInfo("unshare", ["-n", "--", "sh", "-c", script]))!);
            var pids = roots.Select(p => p.Id).ToHashSet();
            WaitUntilStarted(roots, perNamespace, ct);
            int procs = Directory.EnumerateDirectories("/proc").Count(d => char.IsAsciiDigit(Path.GetFileName(d)[0]));
            Console.WriteLine($"scan bench: {namespaces} namespaces made with unshare -n, {perNamespace} processes each; {procs} processes on the host");

            // Agreement (not timed): both see each of the bench's namespaces with its P processes. (Other namespaces
            // can come and go between the two looks on a busy machine, and lsns counts kernel threads, NamespaceProcesses not.)
            var lsns = LsnsInodes(RunLsns());
            var scan = NamespaceProcesses.Scan();
            var mine = roots.Select(p => scan.FirstOrDefault(kv => kv.Value.Any(x => x.ProcessId == p.Id))).Where(kv => kv.Value is not null).ToList();
            bool agree = mine.Count == namespaces && mine.All(kv => kv.Value.Count == perNamespace
                && lsns.TryGetValue(kv.Key.Inode, out int n) && n == perNamespace);
            Console.WriteLine($"agreement: lsns {lsns.Count} namespaces / {lsns.Values.Sum()} processes (kernel threads included), "
                + $"NamespaceProcesses {scan.Count} / {scan.Values.Sum(v => v.Count)}; the bench's {namespaces} namespaces: "
                + (agree ? $"both see each with its {perNamespace} processes" : "DIFFERENT"));
            failed = !agree;

            var variants = new (string Name, Action Body)[]
            {
                ("lsns -t net -J (process, output read)", () => RunLsns()),
                ("NamespaceProcesses.Scan (the /proc scan)", () => NamespaceProcesses.Scan()),
                ("Discover: scan + runtimes + /run/netns", () => ContainerNetNsDiscovery.Discover(new DiscoveryOptions { Interfaces = false, NsIds = false })),
                ("Discover: all (+ nsid + interfaces)", () => ContainerNetNsDiscovery.Discover()),
            };
            foreach (var v in variants)
                v.Body(); // warm-up: JIT, page cache
            var times = variants.Select(_ => new List<double>()).ToArray();
            for (int r = 0; r < repeat && !ct.IsCancellationRequested; r++)
            {
                for (int i = 0; i < variants.Length; i++)
                {
                    var sw = Stopwatch.StartNew();
                    variants[i].Body();
                    times[i].Add(sw.Elapsed.TotalMilliseconds);
                }
            }
            double anchor = Median(times[0]);
            Console.WriteLine($"{"variant",-44} {"min ms",8} {"median",8} {"vs lsns",8}");
            for (int i = 0; i < variants.Length; i++)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{variants[i].Name,-44} {times[i].Min(),8:F1} {Median(times[i]),8:F1} {Median(times[i]) / anchor,7:F2}x"));
            double ratio = Median(times[2]) / anchor, ratioMin = times[2].Min() / times[0].Min();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"target: discovery with runtimes ≤ 0.5 × lsns: medians of {repeat} {ratio:F2}, mins {ratioMin:F2} → {(ratio <= 0.5 ? "met" : "NOT met")}"));
            return failed ? 1 : 0;
        }
        finally
        {
            foreach (var p in roots)
            {
                try
                {
                    p.Kill(entireProcessTree: true);
                    p.WaitForExit(5000);
                }
                catch (InvalidOperationException)
                {
                    // already gone
                }
                p.Dispose();
            }
        }
    }

    private static void WaitUntilStarted(List<Process> roots, int perNamespace, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !ct.IsCancellationRequested)
        {
            var scan = NamespaceProcesses.Scan();
            var rootNs = roots.Select(p => File.Exists($"/proc/{p.Id}/ns/net") ? Lookup(scan, p.Id) : null).ToList();
            if (rootNs.All(ns => ns is { Count: var c } && c >= perNamespace))
                return;
            Thread.Sleep(50);
        }
        throw new TimeoutException("the unshare -n processes did not all start within 30 s");
    }

    private static List<NetNsProcess>? Lookup(Dictionary<NetNs.Core.FileIdentity, List<NetNsProcess>> scan, int pid) =>
        scan.Values.FirstOrDefault(l => l.Any(p => p.ProcessId == pid) && l.All(p => p.Command is "sh" or "sleep"));

    private static string RunLsns()
    {
        var psi = new ProcessStartInfo("lsns", ["-t", "net", "-J"]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"lsns exited with {p.ExitCode}");
        return text;
    }

    private static Dictionary<ulong, int> LsnsInodes(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var result = new Dictionary<ulong, int>();
        foreach (var ns in doc.RootElement.GetProperty("namespaces").EnumerateArray())
        {
            var id = ns.GetProperty("ns");
            ulong inode = id.ValueKind == JsonValueKind.Number ? id.GetUInt64() : ulong.Parse(id.GetString()!, CultureInfo.InvariantCulture);
            var n = ns.GetProperty("nprocs");
            result[inode] = n.ValueKind == JsonValueKind.Number ? n.GetInt32() : int.Parse(n.GetString()!, CultureInfo.InvariantCulture);
        }
        return result;
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
