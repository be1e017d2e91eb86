using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NetNs.Core;

/// <summary>
/// Paces a reachability matrix to the neighbour tables (<see cref="NeighborTables"/>) of every kernel it touches: the
/// probes go in waves whose neighbour entries (those their echoes need there and back) are at most 3/8 of each
/// kernel's table per family, and a wave starts only when the waves that ended within the last 5.5 s (entries younger
/// than 5 s cannot be reclaimed) and it need at most 3/4 of each table; the rest is left to the kernel's other
/// namespaces. An entry counts on the kernel of its namespace: across hosts, an echo's reply makes an entry on the
/// target's host, and namespaces of one machine share its kernel's tables.
/// </summary>
internal sealed class NeighborPacer
{
    private static readonly TimeSpan Window = NeighborTables.ReclaimAge + TimeSpan.FromMilliseconds(500);

    private readonly Func<string, string> _kernelOf;
    private readonly Func<string, AddressFamily, int> _limitOf;
    private readonly List<(long End, Dictionary<(string, AddressFamily), int> Entries)> _recent = [];

    /// <summary>Entries counted on the kernel <paramref name="kernelOf"/> names for their namespace, within its <paramref name="limitOf"/>.</summary>
    public NeighborPacer(Func<string, string> kernelOf, Func<string, AddressFamily, int> limitOf)
    {
        _kernelOf = kernelOf;
        _limitOf = limitOf;
    }

    /// <summary>A wave: groups of probe indexes (a pair's probes, both ways) and the neighbour entries they need per kernel and family.</summary>
    public sealed record Wave(List<List<int>> Groups, Dictionary<(string Kernel, AddressFamily Family), int> Entries);

    /// <summary>Cuts <paramref name="groups"/> into waves, in order, each within 3/8 of each kernel's table per family.</summary>
    public IEnumerable<Wave> Waves(List<List<int>> groups, Func<int, HashSet<(string, IPAddress)>> entries, Func<int, AddressFamily> family)
    {
        var current = new List<List<int>>();
        var sets = new Dictionary<(string, AddressFamily), HashSet<(string, IPAddress)>>();
        foreach (var g in groups)
        {
            var f = family(g[0]);
            var needed = g.SelectMany(entries).GroupBy(e => (_kernelOf(e.Item1), f)).ToList();
            bool over = needed.Any(n =>
            {
                var set = sets.GetValueOrDefault(n.Key);
                int count = set?.Count ?? 0;
                return count + n.Count(e => set is null || !set.Contains(e)) > Math.Max(1, _limitOf(n.Key.Item1, f) * 3 / 8);
            });
            if (current.Count > 0 && over)
            {
                yield return new Wave(current, Counts(sets));
                current = [];
                sets = [];
            }
            foreach (var n in needed)
            {
                if (!sets.TryGetValue(n.Key, out var set))
                    sets[n.Key] = set = [];
                set.UnionWith(n);
            }
            current.Add(g);
        }
        if (current.Count > 0)
            yield return new Wave(current, Counts(sets));
    }

    private static Dictionary<(string, AddressFamily), int> Counts(Dictionary<(string, AddressFamily), HashSet<(string, IPAddress)>> sets) =>
        sets.ToDictionary(kv => kv.Key, kv => kv.Value.Count);

    /// <summary>Waits until <paramref name="wave"/> fits in 3/4 of each table with the waves of the last 5.5 s.</summary>
    public async Task WaitForRoomAsync(Wave wave, CancellationToken cancellation)
    {
        while (true)
        {
            _recent.RemoveAll(w => Stopwatch.GetElapsedTime(w.End) >= Window);
            if (_recent.Count == 0 || wave.Entries.All(e => _recent.Sum(w => w.Entries.GetValueOrDefault(e.Key)) + e.Value <= _limitOf(e.Key.Kernel, e.Key.Family) * 3 / 4))
                return;
            var wait = Window - Stopwatch.GetElapsedTime(_recent[0].End);
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Records that <paramref name="wave"/>'s entries stay (they could not all be forgotten): reclaimable 5 s from now.</summary>
    public void Ended(Wave wave) => _recent.Add((Stopwatch.GetTimestamp(), wave.Entries));
}
