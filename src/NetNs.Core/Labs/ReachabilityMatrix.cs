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
            expected = expected.Where(e => from.Contains(m.MemberOf(e.From))).ToList();
        var sources = expected.Select(e => e.From).ToList();
        var others = expected.SelectMany(e => e.Entries.Select(x => x.Item1)).ToList();
        // Probing from some nodes: the others' namespaces need not be here (a lab across hosts); their entries are
        // forgotten when they are.
        using var host = from is null ? ReachabilityHost.Open(sources.Concat(others)) : ReachabilityHost.Open(sources, others);
        var local = ReachabilityPlace.Local("local", host);
        return await RunAsync(m, expected, host.Namespaces.ToDictionary(ns => ns, _ => local, StringComparer.Ordinal), count, timeout, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// The matrix of a lab whose namespaces are in several places (<see cref="ReachabilityPlace"/>: a lab across
    /// hosts): <paramref name="places"/> names the place of each namespace, and each node with one probes from there.
    /// The waves are paced to each kernel's tables, and each wave's entries are forgotten in every place, the
    /// targets' too: their answers made them. <paramref name="from"/>: probe only from these nodes (all when null).
    /// </summary>
    public static Task<List<LabReachability>> TestAcrossAsync(LabModel m, IReadOnlyDictionary<string, ReachabilityPlace> places, IReadOnlySet<string>? from = null,
        int count = 2, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(places);
        var expected = ExpectedPaths(m).Where(e => places.ContainsKey(e.From) && (from is null || from.Contains(m.MemberOf(e.From)))).ToList();
        return RunAsync(m, expected, places, count, timeout, cancellation);
    }

    private static async Task<List<LabReachability>> RunAsync(LabModel m, List<(string From, IPAddress Address, string To, HashSet<(string, IPAddress)> Entries)> expected,
        IReadOnlyDictionary<string, ReachabilityPlace> places, int count, TimeSpan? timeout, CancellationToken cancellation)
    {
        var (results, attempts) = await ReachabilityWaves.RunAsync(expected, places, count, timeout ?? TimeSpan.FromSeconds(1), cancellation).ConfigureAwait(false);
        return expected.Select((e, i) => new LabReachability
        {
            Lab = m.Name, From = m.MemberOf(e.From), To = m.MemberOf(e.To), Address = e.Address.ToString(),
            Success = results[i].Success, RoundTripTime = results[i].RoundTripTime, Status = results[i].Status,
            Detail = results[i].Detail, Attempts = attempts[i],
        }).ToList();
    }

    /// <summary>Probes of a pair made in all, at most, when the earlier ones could not tell.</summary>
    public const int MaxAttempts = 4;

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
