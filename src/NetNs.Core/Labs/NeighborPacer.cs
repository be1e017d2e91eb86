using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NetNs.Core;

/// <summary>
/// Paces a reachability matrix to the host's neighbour tables (<see cref="NeighborTables"/>): the probes go in waves
/// whose neighbour entries (those their echoes need there and back) are at most 3/8 of a family's table, and a wave
/// starts only when the waves that ended within the last 5.5 s (entries younger than 5 s cannot be reclaimed) and it
/// need at most 3/4 of the table; the rest is left to the host's other namespaces.
/// </summary>
internal sealed class NeighborPacer
{
    private static readonly TimeSpan Window = NeighborTables.ReclaimAge + TimeSpan.FromMilliseconds(500);

    private readonly int _limitV4 = NeighborTables.Limit(AddressFamily.InterNetwork);
    private readonly int _limitV6 = NeighborTables.Limit(AddressFamily.InterNetworkV6);
    private readonly List<(long End, int V4, int V6)> _recent = [];

    /// <summary>A wave: groups of probe indexes (a pair's probes, both ways) and the neighbour entries they need per family.</summary>
    public sealed record Wave(List<List<int>> Groups, int V4, int V6);

    /// <summary>Cuts <paramref name="groups"/> into waves, in order, each within 3/8 of each family's table.</summary>
    public IEnumerable<Wave> Waves(List<List<int>> groups, Func<int, HashSet<(string, IPAddress)>> entries, Func<int, AddressFamily> family)
    {
        var current = new List<List<int>>();
        var v4 = new HashSet<(string, IPAddress)>();
        var v6 = new HashSet<(string, IPAddress)>();
        foreach (var g in groups)
        {
            bool six = family(g[0]) == AddressFamily.InterNetworkV6;
            var needed = g.SelectMany(entries).ToHashSet();
            var set = six ? v6 : v4;
            int max = Math.Max(1, (six ? _limitV6 : _limitV4) * 3 / 8);
            if (current.Count > 0 && set.Count + needed.Count(e => !set.Contains(e)) > max)
            {
                yield return new Wave(current, v4.Count, v6.Count);
                current = [];
                v4 = [];
                v6 = [];
                set = six ? v6 : v4;
            }
            set.UnionWith(needed);
            current.Add(g);
        }
        if (current.Count > 0)
            yield return new Wave(current, v4.Count, v6.Count);
    }

    /// <summary>Waits until <paramref name="wave"/> fits in 3/4 of each table with the waves of the last 5.5 s.</summary>
    public async Task WaitForRoomAsync(Wave wave, CancellationToken cancellation)
    {
        while (true)
        {
            _recent.RemoveAll(w => Stopwatch.GetElapsedTime(w.End) >= Window);
            if (_recent.Count == 0 || (_recent.Sum(w => w.V4) + wave.V4 <= _limitV4 * 3 / 4 && _recent.Sum(w => w.V6) + wave.V6 <= _limitV6 * 3 / 4))
                return;
            var wait = Window - Stopwatch.GetElapsedTime(_recent[0].End);
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Records that <paramref name="wave"/> has ended: its entries become reclaimable 5 s from now.</summary>
    public void Ended(Wave wave) => _recent.Add((Stopwatch.GetTimestamp(), wave.V4, wave.V6));
}
