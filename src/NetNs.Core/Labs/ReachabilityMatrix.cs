using System.Net;

namespace NetNs.Core;

/// <summary>One cell of a lab's reachability matrix.</summary>
public sealed class LabReachability
{
    /// <summary>The lab.</summary>
    public required string Lab { get; init; }

    /// <summary>The node the echo was sent from.</summary>
    public required string From { get; init; }

    /// <summary>The node holding <see cref="Address"/>.</summary>
    public required string To { get; init; }

    /// <summary>The address probed.</summary>
    public required string Address { get; init; }

    /// <summary>Whether an echo reply came back.</summary>
    public bool Success { get; init; }

    /// <summary>The round trip; null when it failed.</summary>
    public TimeSpan? RoundTrip { get; init; }

    /// <summary>Success, TimedOut, NetworkUnreachable, … (as Test-NetNsConnection's Status); NeighbourTableFull when the kernel's shared neighbour table had no room for the pair.</summary>
    public string Status { get; init; } = "";

    /// <summary>"FROM -> TO ADDRESS STATUS".</summary>
    public override string ToString() => $"{From} -> {To} {Address} {Status}";
}

/// <summary>
/// Which addresses each node of a lab should reach, worked out from its addresses, routes and forwarding
/// switches (a route lookup hop by hop, there and back, at most 16 hops), and the in-process ICMP echoes that check
/// them, all at once. NAT is not modelled: a path that needs it is not expected.
/// </summary>
public static class ReachabilityMatrix
{
    private const int MaxHops = 16;

    /// <summary>(from node namespace, target address, target node namespace) for every address a node should reach.</summary>
    public static List<(string From, IPAddress Address, string To)> Expected(LabModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var nodes = m.Namespaces.Where(n => n.Role == LabRole.Node).Select(n => n.Name).ToList();
        var targets = m.Addresses.Where(a => m.IsNode(a.Namespace)).ToList();
        var result = new List<(string, IPAddress, string)>();
        foreach (string from in nodes)
        {
            foreach (var t in targets.Where(t => t.Namespace != from))
            {
                if (Walk(m, from, t.Prefix.Address, out var source) && source is not null && Walk(m, t.Namespace, source, out _))
                    result.Add((from, t.Prefix.Address, t.Namespace));
            }
        }
        return result;
    }

    /// <summary>How many node pairs are probed at once, both ways: few enough that their neighbour entries fit the
    /// kernel's shared table (<see cref="NeighbourTables"/>) beside what other namespaces hold.</summary>
    private const int PairsPerWave = 100;

    /// <summary>
    /// The shortest time between two waves: a wave adds up to 2 × <see cref="PairsPerWave"/> entries a family, and an
    /// entry can be evicted 5 s after its last use, so about four waves fit in the table per 5 s.
    /// </summary>
    private static readonly TimeSpan WaveInterval = TimeSpan.FromSeconds(1.3);

    /// <summary>
    /// Probes every expected pair (ICMP echo, <paramref name="count"/> tries of <paramref name="timeout"/> each), in waves of
    /// node pairs, both directions of a pair in the same wave so they share their neighbour entries. The kernel's
    /// neighbour tables are shared by all namespaces and full at 1024 entries a family, so waves are paced (at most
    /// <see cref="PairsPerWave"/> pairs every <see cref="WaveInterval"/>), and when a wave still overflowed them
    /// (the kernel counts it), its failed probes are tried again after the 5 s an entry must age before it can be
    /// evicted, up to 3 times; a probe still failing in a wave that overflowed says NeighbourTableFull, not TimedOut,
    /// since it cannot tell no answer from no room.
    /// </summary>
    public static async Task<List<LabReachability>> TestAsync(LabModel m, int count = 2, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var expected = Expected(m);
        var options = new ConnectionProbeOptions { Count = count, Timeout = timeout ?? TimeSpan.FromSeconds(1) };
        var handles = new Dictionary<string, NamespaceHandle>();
        var results = new LabReachability[expected.Count];
        try
        {
            foreach (string ns in expected.Select(e => e.From).Distinct())
                handles[ns] = NamespaceHandle.OpenName(ns);
            using var gate = new SemaphoreSlim(64);
            async Task Probe(int i)
            {
                var e = expected[i];
                await gate.WaitAsync(cancellation).ConfigureAwait(false);
                try
                {
                    var r = await ConnectionProbe.TestAsync(handles[e.From], e.From, e.Address, options, cancellation).ConfigureAwait(false);
                    results[i] = new LabReachability
                    {
                        Lab = m.Name, From = m.MemberOf(e.From), To = m.MemberOf(e.To), Address = e.Address.ToString(),
                        Success = r.Success, RoundTrip = r.RoundTripTime, Status = r.Status,
                    };
                }
                finally
                {
                    gate.Release();
                }
            }
            // Waves of unordered node pairs; each wave holds every probe between its pairs, both ways.
            var waves = expected.Select((e, i) => (Pair: string.CompareOrdinal(e.From, e.To) < 0 ? (e.From, e.To) : (e.To, e.From), Index: i))
                .GroupBy(x => x.Pair).Select((g, n) => (Wave: n / PairsPerWave, Indexes: g.Select(x => x.Index)))
                .GroupBy(x => x.Wave).Select(g => g.SelectMany(x => x.Indexes).ToList()).ToList();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int w = 0; w < waves.Count; w++)
            {
                var pending = waves[w];
                if (w > 0 && clock.Elapsed < WaveInterval)
                    await Task.Delay(WaveInterval - clock.Elapsed, cancellation).ConfigureAwait(false);
                clock.Restart();
                for (int attempt = 0; ; attempt++)
                {
                    long fullsBefore = NeighbourTables.TableFulls();
                    await Task.WhenAll(pending.Select(Probe)).ConfigureAwait(false);
                    bool overflowed = NeighbourTables.TableFulls() != fullsBefore;
                    var failed = pending.Where(i => !results[i].Success).ToList();
                    if (!overflowed || failed.Count == 0)
                        break;
                    if (attempt == 3)
                    {
                        foreach (int i in failed)
                            results[i] = new LabReachability
                            {
                                Lab = results[i].Lab, From = results[i].From, To = results[i].To, Address = results[i].Address,
                                Success = false, Status = "NeighbourTableFull",
                            };
                        break;
                    }
                    await Task.Delay(TimeSpan.FromSeconds(5.5), cancellation).ConfigureAwait(false);
                    pending = failed;
                }
            }
            return [.. results];
        }
        finally
        {
            foreach (var h in handles.Values)
                h.Dispose();
        }
    }

    // Follows the routes from node `ns` towards `target`; true when it gets delivered, with the source address the
    // first hop would use.
    private static bool Walk(LabModel m, string ns, IPAddress target, out IPAddress? source)
    {
        source = null;
        string at = ns;
        for (int hop = 0; hop < MaxHops; hop++)
        {
            var own = m.Addresses.Where(a => a.Namespace == at).ToList();
            if (own.Any(a => a.Prefix.Address.Equals(target)))
                return false; // its own address: not a test
            IPAddress nextHop;
            var connected = own.Where(a => a.Prefix.Network.Contains(target)).OrderByDescending(a => a.Prefix.PrefixLength).FirstOrDefault();
            var route = m.Routes.Where(r => r.Namespace == at && r.Destination.Contains(target))
                .OrderByDescending(r => r.Destination.PrefixLength).FirstOrDefault();
            if (connected is not null && (route is null || route.Destination.PrefixLength <= connected.Prefix.PrefixLength))
                nextHop = target;
            else if (route is not null)
                nextHop = route.Gateway;
            else
                return false;
            var outAddress = own.FirstOrDefault(a => a.Prefix.Network.Contains(nextHop));
            if (outAddress is null)
                return false;
            if (hop == 0)
                source = outAddress.Prefix.Address;
            var owner = m.Addresses.FirstOrDefault(a => a.Namespace != at && a.Prefix.Address.Equals(nextHop) && SameSegment(m, outAddress, a));
            if (owner is null)
                return false;
            if (nextHop.Equals(target) || m.Addresses.Any(a => a.Namespace == owner.Namespace && a.Prefix.Address.Equals(target)))
                return true;
            if (!m.Sysctls.Any(s => s.Namespace == owner.Namespace && s.Value == "1"
                    && s.Key == (LabAddressing.Family(target) == IPAddressFamily.IPv4 ? "net.ipv4.ip_forward" : "net.ipv6.conf.all.forwarding")))
                return false;
            at = owner.Namespace;
        }
        return false;
    }

    // Two addresses are on one segment when their links are the two ends of a veth, or ports' peers on one bridge.
    private static bool SameSegment(LabModel m, LabAddressSpec x, LabAddressSpec y)
    {
        string? Segment(LabAddressSpec a)
        {
            foreach (var v in m.Veths)
            {
                if ((v.Namespace == a.Namespace && v.Name == a.Link) || (v.PeerNamespace == a.Namespace && v.PeerName == a.Link))
                    return v.PeerMaster is not null ? $"{v.PeerNamespace}/{v.PeerMaster}" : $"{v.Namespace}/{v.Name}";
            }
            return null;
        }
        string? sx = Segment(x);
        return sx is not null && sx == Segment(y);
    }
}
