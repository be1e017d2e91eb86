using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using NetNs.Bench;

// Wall-clock benchmark: build and tear down the standard topology (see bench/README.md) with NetNs.Core,
// with `ip` one process per step, with `ip -batch` (the anchor) and with pyroute2, in one run, same N.
// Run as root: dotnet run -c Release --project bench/NetNs.Bench -- --n 200

return new Bench().Main(args);

namespace NetNs.Bench
{
    internal sealed class Bench
    {
        private const string AnchorKey = "c";
        private const string CoreKey = "a";
        private const string CmdletKey = "e";
        private const int TargetN = 200;
        private const double CoreTarget = 0.35;
        private const double CmdletVsCoreTarget = 1.5;
        private const double CmdletTarget = 0.7;

        private readonly CancellationTokenSource _cts = new();
        private readonly string _prefix = "nb" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant() + "-";
        private int _interrupts;

        private int _n = TargetN;
        private int _repeat = 1;
        private bool _warmup = true;
        private bool _settle = true;
        private bool _probe;
        private bool _scan;
        private bool _capture;
        private double _seconds = 2;
        private bool _nGiven;
        private int _perNamespace = 10;
        private List<string>? _only;

        public int Main(string[] args)
        {
            try
            {
                if (!ParseArgs(args))
                    return 2;
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                Console.Error.WriteLine($"netns-bench: {e.Message}");
                return 2;
            }
            if (!Environment.IsPrivilegedProcess)
            {
                Console.Error.WriteLine("netns-bench: run as root (it creates network namespaces)");
                return 2;
            }

            Console.CancelKeyPress += OnCancelKeyPress;
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Cleanup.All(_prefix, Console.Error);

            try
            {
                return Run();
            }
            catch (Exception e) when (e is OperationCanceledException || _cts.IsCancellationRequested)
            {
                // A signal also reaches the ip/python child (same process group): its failure is the interrupt.
                Console.Error.WriteLine("netns-bench: interrupted; cleaning up");
                return 130;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"netns-bench: {e}");
                return 1;
            }
            finally
            {
                int left = Cleanup.All(_prefix, Console.Error);
                if (left > 0)
                    Console.Error.WriteLine($"netns-bench: removed {left} leftover namespace(s) named {_prefix}*");
            }
        }

        private int Run()
        {
            var ct = _cts.Token;
            using var cmdlets = new CmdletVariant { WarmN = Math.Min(_n, 200) };
            var all = new List<Variant> { new CoreVariant(1), new CoreVariant(2), new IpPerStepVariant(), new IpBatchVariant(), new PyrouteVariant(), cmdlets };
            var selected = _only is null ? all : all.Where(v => _only.Contains(v.Key)).ToList();
            if (_only is not null && _only.Except(all.Select(v => v.Key)).ToList() is { Count: > 0 } unknown)
            {
                Console.Error.WriteLine($"netns-bench: unknown variant(s) {string.Join(", ", unknown)}; known: {string.Join(", ", all.Select(v => v.Key))}");
                return 2;
            }

            if (_capture)
                return CaptureBench.Run(_prefix, _seconds, _repeat, ct);
            if (_scan)
                return ScanBench.Run(_nGiven ? _n : 100, _perNamespace, Math.Max(_repeat, 7), ct);
            PrintHeader(selected);
            if (_probe)
            {
                Probe.Run(_prefix, _n, ct);
                return 0;
            }
            var skipped = selected.Where(v => v.Unavailable is not null).ToList();
            foreach (var v in skipped)
                Console.WriteLine($"skipping {v.Key} ({v.Label}): {v.Unavailable}");
            var variants = selected.Except(skipped).ToList();

            if (_warmup)
            {
                Console.Write("warm-up (N=2, not reported):");
                foreach (var v in variants)
                {
                    var t = new Topology($"{_prefix}w{v.Key}-", 2);
                    try
                    {
                        v.Run(t, Verify.Built, ct);
                        Console.Write($" {v.Key}");
                    }
                    finally
                    {
                        Cleanup.All(t.Tag, Console.Error);
                    }
                }
                Console.WriteLine();
            }
            if (_settle)
                WaitQuiet(ct, "before the first run");

            var results = variants.ToDictionary(v => v.Key, _ => new List<(Measurement M, TimeSpan Reclaim, int Repeat)>());
            var failures = new List<string>();
            for (int r = 1; r <= _repeat; r++)
            {
                foreach (var v in variants)
                {
                    ct.ThrowIfCancellationRequested();
                    var t = new Topology($"{_prefix}{v.Key}r{r}-", _n);
                    Console.Write($"run {r}/{_repeat} {v.Key} ({v.Label})... ");
                    Measurement m;
                    try
                    {
                        m = v.Run(t, Verify.Built, ct);
                        Verify.Gone(t);
                    }
                    catch (Exception e) when (!ct.IsCancellationRequested)
                    {
                        Console.WriteLine($"FAILED: {e.Message}");
                        failures.Add($"{v.Key} run {r}: {e.Message}");
                        Cleanup.All(t.Tag, Console.Error);
                        if (_settle)
                            WaitQuiet(ct, "after a failure");
                        continue;
                    }
                    finally
                    {
                        if (ct.IsCancellationRequested)
                            Cleanup.All(t.Tag, Console.Error);
                    }
                    Console.WriteLine($"build {Ms(m.Build)}, teardown {Ms(m.Teardown)}, total {Ms(m.Total)} ms");
                    var reclaim = _settle ? WaitQuiet(ct, null) : TimeSpan.Zero;
                    results[v.Key].Add((m, reclaim >= Settle.Limit ? TimeSpan.MaxValue : reclaim, r));
                }
            }

            Console.WriteLine();
            Console.WriteLine($"load average now {LoadAverage()} (other work on the machine disturbs the figures; compare mins)");
            PrintTable(variants, results);
            Console.WriteLine($"peak RSS of this process (VmHWM): {PeakRss()} (the pwsh child of e not included)");
            foreach (string f in failures)
                Console.WriteLine("failed: " + f);
            return failures.Count == 0 ? 0 : 1;
        }

        private void PrintHeader(List<Variant> variants)
        {
            Console.WriteLine($"netns-bench {DateTime.Now:yyyy-MM-dd HH:mm}  N={_n}  repeat={_repeat}  prefix {_prefix}");
            Console.WriteLine($"  machine: {Environment.ProcessorCount} CPUs, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, {RuntimeInformation.FrameworkDescription}");
            Console.WriteLine($"  {Ip.Version()}; load average {LoadAverage()}");
            if (variants.Any(v => v is PyrouteVariant))
                Console.WriteLine($"  {PyrouteVariant.Versions ?? "pyroute2: not available"}");
            Console.WriteLine($"  topology: {_n} namespaces, each with a veth (eth0 198.18.x.y/15, lo up, default via {Topology.BridgeAddress}) into bridge {Topology.BridgeName} ({Topology.BridgeAddressWithPrefix}) in its own namespace; teardown deletes the {_n + 1} namespaces");
        }

        private void PrintTable(List<Variant> variants, Dictionary<string, List<(Measurement M, TimeSpan Reclaim, int Repeat)>> results)
        {
            bool many = _repeat > 1;
            string unit = many ? "ms (min / median)" : "ms";
            Console.WriteLine($"Results, N={_n}, {unit}; vs batch = total / ip -batch total measured in this run{(many ? " (ratio of mins / ratio of medians)" : "")}:");
            Console.WriteLine($"  {"variant",-32} {"build",17} {"teardown",17} {"total",17} {"vs batch",14} {"reclaim",9} {"procs",6}");
            var anchor = results.GetValueOrDefault(AnchorKey) is { Count: > 0 } a ? Median(a.Select(x => x.M.Total)) : (TimeSpan?)null;
            var anchorMin = results.GetValueOrDefault(AnchorKey) is { Count: > 0 } a2 ? a2.Min(x => x.M.Total) : (TimeSpan?)null;
            foreach (var v in variants)
            {
                var runs = results[v.Key];
                if (runs.Count == 0)
                {
                    Console.WriteLine($"  {v.Key,-3} {v.Label,-28} (no successful run)");
                    continue;
                }
                string Cell(Func<Measurement, TimeSpan> f) => many
                    ? $"{Ms(runs.Min(x => f(x.M)))} / {Ms(Median(runs.Select(x => f(x.M))))}"
                    : Ms(f(runs[0].M));
                var total = Median(runs.Select(x => x.M.Total));
                string ratio = anchor is { } an && an > TimeSpan.Zero ? (total / an).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-";
                if (many && anchorMin is { } am && am > TimeSpan.Zero)
                    ratio = (runs.Min(x => x.M.Total) / am).ToString("0.00", CultureInfo.InvariantCulture) + " / " + ratio;
                var reclaimMedian = Median(runs.Select(x => x.Reclaim));
                string reclaim = !_settle ? "-" : reclaimMedian == TimeSpan.MaxValue ? ">" + Ms(Settle.Limit) : Ms(reclaimMedian);
                string procs = runs[0].M.Processes?.ToString(CultureInfo.InvariantCulture) ?? "0";
                Console.WriteLine($"  {v.Key,-3} {v.Label,-28} {Cell(m => m.Build),17} {Cell(m => m.Teardown),17} {Cell(m => m.Total),17} {ratio,14} {reclaim,9} {procs,6}");

                if (runs[0].M.Extra.Count > 0)
                {
                    var inner = runs.Select(x => x.M.Extra).ToList();
                    TimeSpan Med(string k) => Median(inner.Select(e => e[k]));
                    if (inner[0].ContainsKey("inner build"))
                    {
                        var innerTotal = Med("inner build") + Med("inner teardown");
                        string innerRatio = anchor is { } an2 && an2 > TimeSpan.Zero ? (innerTotal / an2).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-";
                        Console.WriteLine($"  {"    script's own clock",-32} {Ms(Med("inner build")),17} {Ms(Med("inner teardown")),17} {Ms(innerTotal),17} {innerRatio,14}   (pyroute2 import {Ms(Med("import"))} ms, not included)");
                    }
                }
            }
            Console.WriteLine($"  reclaim: time after teardown until the CPUs were idle again (the kernel destroys deleted namespaces asynchronously), median,");
            Console.WriteLine($"  not part of total; only meaningful on an otherwise idle machine (\">\" = still busy after {Settle.Limit.TotalSeconds} s). procs: processes started.");

            var core = results.GetValueOrDefault(CoreKey);
            foreach (var v in variants)
            {
                var runs = results[v.Key];
                if (runs.Count == 0)
                    continue;
                var median = runs.OrderBy(x => x.M.Total).ElementAt((runs.Count - 1) / 2).M;
                if (median.Profile is not { } profile)
                    continue;
                Console.WriteLine();
                Console.WriteLine($"Where {v.Key} ({v.Label}) spends its time (its run with the median total, {Ms(median.Total)} ms):");
                foreach (var (name, time, count) in profile.Steps.OrderByDescending(s => s.Time))
                    Console.WriteLine($"  {name,-22} {Ms(time),10} ms  {count,6} calls  {time.TotalMicroseconds / count,8:0.0} µs/call  {time / median.Total,6:P1}");
                var steps = profile.Steps.Aggregate(TimeSpan.Zero, (s, x) => s + x.Time);
                Console.WriteLine($"  {"(outside steps)",-22} {Ms(median.Total - steps),10} ms");
            }

            Console.WriteLine();
            // Issue 11's targets, at any N (the core's ratio must hold at N=200 and N=1000).
            PrintTarget(results, CoreKey, AnchorKey, CoreTarget, "NetNs.Core total <= {0} x ip -batch total");
            PrintTarget(results, CmdletKey, CoreKey, CmdletVsCoreTarget, "cmdlets from a warm pwsh <= {0} x NetNs.Core");
            PrintTarget(results, CmdletKey, AnchorKey, CmdletTarget, "cmdlets from a warm pwsh <= {0} x ip -batch");
        }

        private void PrintTarget(Dictionary<string, List<(Measurement M, TimeSpan Reclaim, int Repeat)>> results,
            string key, string against, double target, string format)
        {
            string what = $"Target ({string.Format(CultureInfo.InvariantCulture, format, target)}, N={_n})";
            var runs = results.GetValueOrDefault(key);
            var anchorRuns = results.GetValueOrDefault(against);
            if (runs is not { Count: > 0 } || anchorRuns is not { Count: > 0 })
            {
                Console.WriteLine($"{what}: not evaluated (needs variants {key} and {against} in the run)");
                return;
            }
            double ratioNow = Median(runs.Select(x => x.M.Total)) / Median(anchorRuns.Select(x => x.M.Total));
            double ratioMin = runs.Min(x => x.M.Total) / anchorRuns.Min(x => x.M.Total);
            string pair = $"{key}/{against}";
            string ratioText = $"median {pair} = " + ratioNow.ToString("0.00", CultureInfo.InvariantCulture)
                + (_repeat > 1 ? $", min {pair} = " + ratioMin.ToString("0.00", CultureInfo.InvariantCulture) : "");
            // Each repeat's figure next to the same repeat's anchor (measured seconds apart): the spread shows the noise.
            var paired = runs.Join(anchorRuns, x => x.Repeat, y => y.Repeat, (x, y) => x.M.Total / y.M.Total).OrderBy(x => x).ToList();
            if (paired.Count > 1)
                ratioText += $"; per repeat from {paired[0].ToString("0.00", CultureInfo.InvariantCulture)} to {paired[^1].ToString("0.00", CultureInfo.InvariantCulture)}"
                    + $", {paired.Count(x => x > target)} of {paired.Count} above {target.ToString(CultureInfo.InvariantCulture)}";
            Console.WriteLine($"{what}: {(ratioNow <= target ? "HOLDS" : "DOES NOT HOLD")} ({ratioText})");
        }

        private TimeSpan WaitQuiet(CancellationToken ct, string? why)
        {
            var t = Settle.WaitQuiet(ct, out bool timedOut);
            ct.ThrowIfCancellationRequested();
            if (timedOut)
                Console.Error.WriteLine($"netns-bench: warning: the machine was not quiet after {Settle.Limit.TotalSeconds} s{(why is null ? "" : " " + why)}; figures may be disturbed");
            return t;
        }

        private bool ParseArgs(string[] args)
        {
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--n":
                        _n = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
                        _nGiven = true;
                        if (_n < 1 || _n > Topology.MaxNamespaces)
                            throw new ArgumentException($"--n must be 1..{Topology.MaxNamespaces}");
                        break;
                    case "--repeat":
                        _repeat = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
                        if (_repeat < 1 || _repeat > 100)
                            throw new ArgumentException("--repeat must be 1..100");
                        break;
                    case "--only":
                        _only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                        break;
                    case "--no-warmup":
                        _warmup = false;
                        break;
                    case "--no-settle":
                        _settle = false;
                        break;
                    case "--probe":
                        _probe = true;
                        break;
                    case "--scan":
                        _scan = true;
                        break;
                    case "--capture":
                        _capture = true;
                        break;
                    case "--seconds":
                        _seconds = double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture);
                        if (_seconds is < 0.5 or > 30)
                            throw new ArgumentException("--seconds must be 0.5..30");
                        break;
                    case "--per-ns":
                        _perNamespace = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
                        if (_perNamespace < 1 || _perNamespace > 50)
                            throw new ArgumentException("--per-ns must be 1..50");
                        break;
                    case "-h":
                    case "--help":
                        Console.WriteLine("""
                            usage: NetNs.Bench [--n N] [--only a,a2,b,c,d,e] [--repeat R] [--no-warmup] [--no-settle] [--probe]
                              --n N        namespaces in the topology (default 200)
                              --only LIST  variants to run: a NetNs.Core sequential, a2 NetNs.Core 2 workers,
                                           b ip per step, c ip -batch (the anchor), d pyroute2,
                                           e NetNs cmdlets from a warm pwsh (default: all)
                              --repeat R   runs of each variant (default 1); min and median are reported
                              --no-warmup  skip the unreported N=2 run of each variant
                              --no-settle  do not wait for the CPUs to go idle after each teardown
                              --probe      instead: time NetNs.Core's building blocks, N calls each
                              --scan       instead: Get-ContainerNetNs's discovery against lsns -t net -J over
                                           N namespaces (default 100) of --per-ns P processes (default 10)
                              --capture    instead: NetNs's packet capture against tcpdump -w on the same interface,
                                           same packets, at offered rates up to the sender's maximum (--seconds S each)
                            """);
                        return false;
                    default:
                        throw new ArgumentException($"unknown argument '{args[i]}' (see --help)");
                }
            }
            return true;
        }

        private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
        {
            if (Interlocked.Increment(ref _interrupts) == 1)
            {
                e.Cancel = true; // stop at the next step; Main's finally cleans up
                Console.Error.WriteLine("netns-bench: interrupted; stopping (Ctrl-C again to clean up and quit at once)");
                _cts.Cancel();
                return;
            }
            Cleanup.All(_prefix, Console.Error);
        }

        private void OnSignal(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            _cts.Cancel();
        }

        private static string PeakRss() =>
            File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))?[6..].Trim() ?? "?";

        private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

        private static TimeSpan Median(IEnumerable<TimeSpan> values)
        {
            var v = values.OrderBy(x => x).ToList();
            if (v.Count % 2 == 1)
                return v[v.Count / 2];
            var (lo, hi) = (v[v.Count / 2 - 1], v[v.Count / 2]);
            return hi == TimeSpan.MaxValue ? hi : (lo + hi) / 2;
        }

        private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
    }
}
