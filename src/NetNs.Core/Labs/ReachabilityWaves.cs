using System.Net;
using System.Net.Sockets;

namespace NetNs.Core;

/// <summary>
/// Drives a reachability matrix's waves over its places (<see cref="ReachabilityPlace"/>: this machine, hosts). Each
/// step is one call per place that has work, all at once: forget the entries the previous wave made in the place's
/// namespaces (those of its probes and those its namespaces made answering other places' probes), then send this
/// wave's probes from its namespaces. Waves are cut and paced per kernel (<see cref="NeighborPacer"/>); whether a
/// kernel's table overflowed, or a host dropped packets for a full input backlog (<see cref="HostBacklog"/>), during a
/// wave is told by its counters from before the wave's step to the start of the next, when every probe of the wave
/// has ended on every place; a pair that failed in such a wave is probed again in a later one.
/// </summary>
internal static class ReachabilityWaves
{
    public static async Task<(ConnectionTestResult[] Results, int[] Attempts)> RunAsync(
        List<(string From, IPAddress Address, string To, HashSet<(string, IPAddress)> Entries)> expected,
        IReadOnlyDictionary<string, ReachabilityPlace> placeOf, int count, TimeSpan timeout, CancellationToken cancellation)
    {
        // An entry in a namespace no place holds is no place's to count or forget (a namespace on another host when
        // testing from some nodes only).
        expected = expected.Select(e => (e.From, e.Address, e.To, e.Entries.Where(x => placeOf.ContainsKey(x.Item1)).ToHashSet())).ToList();
        var places = placeOf.Values.Distinct().ToList();
        var kernels = places.GroupBy(p => p.Kernel.BootId).ToDictionary(g => g.Key, g => g.First().Kernel);
        var pacer = new NeighborPacer(ns => placeOf[ns].Kernel.BootId,
            (kernel, family) => family == AddressFamily.InterNetworkV6 ? kernels[kernel].LimitV6 : kernels[kernel].LimitV4);
        var last = places.ToDictionary(p => p, p => p.Kernel.Counters);
        var results = new ConnectionTestResult?[expected.Count];
        var attempts = new int[expected.Count];
        // Both directions of a pair in the same wave: they need the same entries.
        var pending = Enumerable.Range(0, expected.Count)
            .GroupBy(i => (Pair(expected[i].From, expected[i].To), expected[i].Address.AddressFamily))
            .Select(g => g.ToList()).ToList();
        for (int attempt = 1; attempt <= ReachabilityMatrix.MaxAttempts && pending.Count > 0; attempt++)
        {
            var retry = new List<List<int>>();
            NeighborPacer.Wave? previous = null;
            Dictionary<ReachabilityPlace, ProbeCounters>? previousBaseline = null;

            async Task Step(NeighborPacer.Wave? wave)
            {
                var baseline = new Dictionary<ReachabilityPlace, ProbeCounters>(last);
                var forget = (previous?.Groups ?? []).SelectMany(g => g).SelectMany(i => expected[i].Entries).Distinct()
                    .GroupBy(e => placeOf[e.Item1]).ToDictionary(g => g.Key, g => g.ToList());
                var probes = (wave?.Groups ?? []).SelectMany(g => g).GroupBy(i => placeOf[expected[i].From])
                    .ToDictionary(g => g.Key, g => g.Select(i => new ReachabilityProbe(i, expected[i].From, expected[i].Address)).ToList());
                var calls = forget.Keys.Union(probes.Keys).Select(p => (Place: p, Run: p.RunAsync(new ReachabilityWave(
                    forget.GetValueOrDefault(p) ?? [], probes.GetValueOrDefault(p) ?? [], count, timeout), cancellation))).ToList();
                await Task.WhenAll(calls.Select(c => c.Run)).ConfigureAwait(false);
                bool forgotAll = true, overflowed = false, dropped = false;
                foreach (var (place, run) in calls)
                {
                    var r = await run.ConfigureAwait(false);
                    foreach (var (id, result) in r.Results)
                    {
                        results[id] = result;
                        attempts[id] = attempt;
                    }
                    forgotAll &= r.ForgotAll;
                    if (previousBaseline is not null)
                    {
                        overflowed |= r.Start.TableFullSince(previousBaseline[place]);
                        dropped |= r.Start.DroppedSince(previousBaseline[place]);
                    }
                    last[place] = r.End;
                }
                if (previous is not null)
                {
                    if (!forgotAll)
                        pacer.Ended(previous);
                    // A failure in a wave during which a table overflowed, or a host dropped packets for a full backlog
                    // (for this pair or another), cannot be told from a lost answer: probed again in a later wave.
                    retry.AddRange(previous.Groups.Where(g => g.Any(i => results[i]!.Status == ConnectionProbe.InconclusiveStatus
                        || ((overflowed || dropped) && Lost(results[i]!)))));
                    if (attempt == ReachabilityMatrix.MaxAttempts && overflowed)
                        MarkInconclusive(previous.Groups, results, expected);
                    else if (attempt == ReachabilityMatrix.MaxAttempts && dropped)
                        MarkDropped(previous.Groups, results);
                }
                (previous, previousBaseline) = wave is null ? (null, null) : (wave, baseline);
            }

            foreach (var wave in pacer.Waves(pending, i => expected[i].Entries, i => expected[i].Address.AddressFamily))
            {
                await pacer.WaitForRoomAsync(wave, cancellation).ConfigureAwait(false);
                await Step(wave).ConfigureAwait(false);
            }
            await Step(null).ConfigureAwait(false); // forgets the last wave's entries, and tells whether it overflowed
            pending = retry.Select(g => g.Where(i => !results[i]!.Success).ToList()).Where(g => g.Count > 0).ToList();
        }
        return (results.Select(r => r!).ToArray(), attempts);
    }

    private static (string, string) Pair(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);

    // No answer, or a send refused for want of a neighbour entry: what a lost packet looks like.
    private static bool Lost(ConnectionTestResult r) => !r.Success && r.Status is "TimedOut" or "InvalidArgument" or "NoBufferSpaceAvailable";

    private static void MarkInconclusive(List<List<int>> groups, ConnectionTestResult?[] results,
        List<(string From, IPAddress Address, string To, HashSet<(string, IPAddress)> Entries)> expected)
    {
        foreach (int i in groups.SelectMany(g => g).Where(i => Lost(results[i]!)))
            results[i] = results[i]! with { Status = ConnectionProbe.InconclusiveStatus, Detail = ConnectionProbe.TableFullDetail(expected[i].Address.AddressFamily, results[i]!.Status) };
    }

    // The last attempt still saw drops: the failure stands (every attempt failed), and says what else happened.
    private static void MarkDropped(List<List<int>> groups, ConnectionTestResult?[] results)
    {
        foreach (int i in groups.SelectMany(g => g).Where(i => Lost(results[i]!) && results[i]!.Detail is null))
            results[i] = results[i]! with { Detail = $"{results[i]!.Status} in each of {ReachabilityMatrix.MaxAttempts} attempts; the host dropped packets meanwhile (its input backlog was full: net.core.netdev_max_backlog)" };
    }
}
