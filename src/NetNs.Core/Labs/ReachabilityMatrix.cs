using System.Net;
using System.Net.Sockets;

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

    /// <summary>The round trip; null when it failed (named as Test-NetNsConnection's).</summary>
    public TimeSpan? RoundTripTime { get; init; }

    /// <summary>Success, TimedOut, NetworkUnreachable, Inconclusive, … (as Test-NetNsConnection's Status).</summary>
    public string Status { get; init; } = "";

    /// <summary>Why it failed, when more can be said than the status (Inconclusive, LoopbackDown); else null.</summary>
    public string? Detail { get; init; }

    /// <summary>Probes made for this pair (more than one when the first could not tell).</summary>
    public int Attempts { get; init; } = 1;

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
    public static List<(string From, IPAddress Address, string To)> Expected(LabModel m) =>
        ExpectedPaths(m).Select(p => (p.From, p.Address, p.To)).ToList();

    // Each expected pair with the neighbour entries its echo needs there and back: (namespace, next hop) per hop.
    internal static List<(string From, IPAddress Address, string To, HashSet<(string, IPAddress)> Entries)> ExpectedPaths(LabModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var nodes = m.Namespaces.Where(n => n.Role == LabRole.Node).Select(n => n.Name).ToList();
        var targets = m.Addresses.Where(a => m.IsNode(a.Namespace)).ToList();
        var result = new List<(string, IPAddress, string, HashSet<(string, IPAddress)>)>();
        foreach (string from in nodes)
        {
            foreach (var t in targets.Where(t => t.Namespace != from))
            {
                var entries = new HashSet<(string, IPAddress)>();
                if (Walk(m, from, t.Prefix.Address, out var source, entries) && source is not null && Walk(m, t.Namespace, source, out _, entries))
                    result.Add((from, t.Prefix.Address, t.Namespace, entries));
            }
        }
        return result;
    }

    /// <summary>
    /// Probes every expected pair (ICMP echo, <paramref name="count"/> tries of <paramref name="timeout"/> each), many
    /// at once but paced to the host's neighbour tables (<see cref="NeighborTables"/>): one table per family for the
    /// whole host (1024 entries by default), an entry reclaimable only once 5 s old. A full mesh needs an entry per
    /// node per neighbour (a 50-node network: 2450), and probing it all at once overflowed the table and lost about
    /// half the echoes. So the pairs go in waves of at most 3/8 of the table's entries, at most 3/4 of it within any
    /// 5.5 s; a pair that failed while the table overflowed is probed again (up to <see cref="MaxAttempts"/> times in
    /// all), and if it still cannot tell, its status is Inconclusive, not TimedOut.
    /// </summary>
    public static Task<List<LabReachability>> TestAsync(LabModel m, int count = 2, TimeSpan? timeout = null, CancellationToken cancellation = default) =>
        TestAsync(m, null, count, timeout, cancellation);

    /// <summary>
    /// As <see cref="TestAsync(LabModel, int, TimeSpan?, CancellationToken)"/>, probing only from the nodes in
    /// <paramref name="from"/> (node names; all when null): on one host of a lab across hosts, the model is the whole
    /// lab's, and only that host's nodes (and neighbour tables) are here.
    /// </summary>
    public static async Task<List<LabReachability>> TestAsync(LabModel m, IReadOnlySet<string>? from, int count = 2, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var expected = ExpectedPaths(m);
        if (from is not null)
        {
            bool Here(string ns) => from.Contains(m.MemberOf(ns));
            expected = expected.Where(e => Here(e.From)).Select(e => (e.From, e.Address, e.To, e.Entries.Where(x => Here(x.Item1)).ToHashSet())).ToList();
        }
        var options = new ConnectionProbeOptions { Count = count, Timeout = timeout ?? TimeSpan.FromSeconds(1) };
        var handles = new Dictionary<string, NamespaceHandle>();
        var results = new ConnectionTestResult?[expected.Count];
        var attempts = new int[expected.Count];
        NetlinkHandle?[] rtnls = [];
        try
        {
            foreach (string ns in expected.Select(e => e.From).Concat(expected.SelectMany(e => e.Entries.Select(x => x.Item1))).Distinct())
                handles[ns] = NamespaceHandle.OpenName(ns);
            var names = handles.Keys.ToList();
            rtnls = NetlinkHandle.OpenEach(names.Select(n => handles[n]).ToList(), out _);
            var rtnlOf = names.Select((n, k) => (n, k)).Where(x => rtnls[x.k] is not null).ToDictionary(x => x.n, x => rtnls[x.k]!);
            var pacer = new NeighborPacer();
            // Both directions of a pair in the same wave: they need the same entries.
            var pending = Enumerable.Range(0, expected.Count)
                .GroupBy(i => (Pair(expected[i].From, expected[i].To), expected[i].Address.AddressFamily))
                .Select(g => g.ToList()).ToList();
            for (int attempt = 1; attempt <= MaxAttempts && pending.Count > 0; attempt++)
            {
                var retry = new List<List<int>>();
                foreach (var wave in pacer.Waves(pending, i => expected[i].Entries, i => expected[i].Address.AddressFamily))
                {
                    await pacer.WaitForRoomAsync(wave, cancellation).ConfigureAwait(false);
                    var before = NeighborTables.Snapshot();
                    using var gate = new SemaphoreSlim(Concurrency);
                    await Task.WhenAll(wave.Groups.SelectMany(g => g).Select(async i =>
                    {
                        await gate.WaitAsync(cancellation).ConfigureAwait(false);
                        try
                        {
                            var e = expected[i];
                            results[i] = await ConnectionProbe.TestAsync(handles[e.From], e.From, e.Address, options, cancellation).ConfigureAwait(false);
                            attempts[i] = attempt;
                        }
                        finally
                        {
                            gate.Release();
                        }
                    })).ConfigureAwait(false);
                    if (!Forget(wave, rtnlOf, i => expected[i].Entries))
                        pacer.Ended(wave);
                    var after = NeighborTables.Snapshot();
                    bool overflowed = after.V4 > before.V4 || after.V6 > before.V6;
                    // A failure in a wave during which the table overflowed (for this pair or another) cannot be told
                    // from a lost answer: probed again in a later wave, when the entries made now can be reclaimed.
                    retry.AddRange(wave.Groups.Where(g => g.Any(i => results[i]!.Status == ConnectionProbe.InconclusiveStatus
                        || (overflowed && !results[i]!.Success && results[i]!.Status is "TimedOut" or "InvalidArgument" or "NoBufferSpaceAvailable"))));
                    if (attempt == MaxAttempts && overflowed)
                        MarkInconclusive(wave.Groups, results, expected);
                }
                pending = retry.Select(g => g.Where(i => !results[i]!.Success).ToList()).Where(g => g.Count > 0).ToList();
            }
            return expected.Select((e, i) => new LabReachability
            {
                Lab = m.Name, From = m.MemberOf(e.From), To = m.MemberOf(e.To), Address = e.Address.ToString(),
                Success = results[i]!.Success, RoundTripTime = results[i]!.RoundTripTime, Status = results[i]!.Status,
                Detail = results[i]!.Detail, Attempts = attempts[i],
            }).ToList();
        }
        finally
        {
            foreach (var r in rtnls)
                r?.Dispose();
            foreach (var h in handles.Values)
                h.Dispose();
        }
    }

    // The neighbour entries a wave made are forgotten in the lab's namespaces once it is done (RTM_DELNEIGH, as `ip neigh
    // del`): a REACHABLE entry is held by its timer and cannot be reclaimed for 15-45 s (base_reachable_time), so left
    // there they would fill the host's table for every later wave, and every other namespace's. They are a cache:
    // the next packet that needs one learns it again. False when some could not be forgotten (then the pacer waits).
    private static bool Forget(NeighborPacer.Wave wave, Dictionary<string, NetlinkHandle> rtnls, Func<int, HashSet<(string, IPAddress)>> entries)
    {
        bool all = true;
        foreach (var byNs in wave.Groups.SelectMany(g => g).SelectMany(entries).Distinct().GroupBy(e => e.Item1))
        {
            try
            {
                if (!rtnls.TryGetValue(byNs.Key, out var rtnl))
                    throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "forget neighbours", "not open", byNs.Key);
                rtnl.ForgetNeighbors(byNs.Select(e => e.Item2).ToHashSet());
            }
            catch (NetNsException)
            {
                all = false;
            }
        }
        return all;
    }

    /// <summary>Probes of a pair made in all, at most, when the earlier ones could not tell.</summary>
    public const int MaxAttempts = 4;

    private const int Concurrency = 64;

    private static (string, string) Pair(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);

    private static void MarkInconclusive(List<List<int>> groups, ConnectionTestResult?[] results,
        List<(string From, IPAddress Address, string To, HashSet<(string, IPAddress)> Entries)> expected)
    {
        foreach (int i in groups.SelectMany(g => g))
        {
            var r = results[i]!;
            if (!r.Success && r.Status is "TimedOut" or "InvalidArgument" or "NoBufferSpaceAvailable")
                results[i] = r with { Status = ConnectionProbe.InconclusiveStatus, Detail = ConnectionProbe.TableFullDetail(expected[i].Address.AddressFamily, r.Status) };
        }
    }

    // Follows the routes from node `ns` towards `target`; true when it gets delivered, with the source address the
    // first hop would use.
    private static bool Walk(LabModel m, string ns, IPAddress target, out IPAddress? source, HashSet<(string, IPAddress)>? entries = null)
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
            entries?.Add((at, nextHop)); // the sender's entry for its next hop (and, made on the way, the next hop's for it)
            var owner = m.Addresses.FirstOrDefault(a => a.Namespace != at && a.Prefix.Address.Equals(nextHop) && SameSegment(m, outAddress, a));
            if (owner is null)
                return false;
            if (nextHop.Equals(target) || m.Addresses.Any(a => a.Namespace == owner.Namespace && a.Prefix.Address.Equals(target)))
                return true;
            if (!m.Sysctls.Any(s => s.Namespace == owner.Namespace && s.Value == "1"
                    && s.Key == Sysctl.ForwardingKey(SubnetAllocator.Family(target))))
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
