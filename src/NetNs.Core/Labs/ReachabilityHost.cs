using System.Net;

namespace NetNs.Core;

/// <summary>
/// One machine's side of a reachability matrix (<see cref="ReachabilityMatrix"/>): the lab's namespaces there, held
/// open for the whole matrix, and the waves it runs in them: forget the neighbour entries an earlier wave made there
/// (RTM_DELNEIGH, as `ip neigh del`), then send this wave's ICMP echoes from its namespaces. A matrix across hosts
/// drives one of these on each host over remoting (<see cref="Run(string)"/> and <see cref="Describe"/> speak JSON),
/// so that the entries an echo makes on the target's host are forgotten too.
/// </summary>
public sealed class ReachabilityHost : IDisposable
{
    private readonly Dictionary<string, NamespaceHandle> _handles;
    private readonly Dictionary<string, NetlinkHandle> _rtnls;

    private ReachabilityHost(Dictionary<string, NamespaceHandle> handles, Dictionary<string, NetlinkHandle> rtnls)
    {
        _handles = handles;
        _rtnls = rtnls;
    }

    /// <summary>The namespaces held open.</summary>
    public IReadOnlyCollection<string> Namespaces => _handles.Keys;

    /// <summary>
    /// Opens named namespaces (as `ip netns` names them): every one of
    /// <paramref name="required"/> must exist; those only in <paramref name="optional"/> are skipped when they do not.
    /// </summary>
    public static ReachabilityHost Open(IEnumerable<string> required, IEnumerable<string>? optional = null)
    {
        ArgumentNullException.ThrowIfNull(required);
        var handles = new Dictionary<string, NamespaceHandle>(StringComparer.Ordinal);
        NetlinkHandle?[] rtnls = [];
        try
        {
            foreach (string ns in required.Distinct(StringComparer.Ordinal))
                handles[ns] = NamespaceHandle.OpenName(ns);
            foreach (string ns in (optional ?? []).Where(n => !handles.ContainsKey(n)).Distinct(StringComparer.Ordinal))
            {
                try
                {
                    handles[ns] = NamespaceHandle.OpenName(ns);
                }
                catch (NetNsException e) when (e.Reason == NetNsErrorReason.NamespaceNotFound)
                {
                    // not on this machine
                }
            }
            var names = handles.Keys.ToList();
            rtnls = NetlinkHandle.OpenEach(names.Select(n => handles[n]).ToList(), out _);
            var byName = names.Select((n, k) => (n, k)).Where(x => rtnls[x.k] is not null).ToDictionary(x => x.n, x => rtnls[x.k]!, StringComparer.Ordinal);
            return new ReachabilityHost(handles, byName);
        }
        catch
        {
            foreach (var r in rtnls)
                r?.Dispose();
            foreach (var h in handles.Values)
                h.Dispose();
            throw;
        }
    }

    /// <summary>This machine's kernel (its boot_id), its tables' limits and their overflows so far.</summary>
    internal static ReachabilityKernel Kernel() => new(
        File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(),
        NeighborTables.Limit(System.Net.Sockets.AddressFamily.InterNetwork),
        NeighborTables.Limit(System.Net.Sockets.AddressFamily.InterNetworkV6),
        ProbeCounters.Read());

    /// <summary>As JSON: this machine's kernel, its tables' limits and their overflows so far (for the driving side).</summary>
    public string Describe() => ReachabilityJson.Write(Kernel());

    /// <summary>Runs a wave given as JSON (<see cref="ReachabilityJson"/>); its results as JSON.</summary>
    public string Run(string wave)
    {
        ArgumentNullException.ThrowIfNull(wave);
        return ReachabilityJson.Write(RunAsync(ReachabilityJson.ReadWave(wave), CancellationToken.None).GetAwaiter().GetResult());
    }

    /// <summary>
    /// Forgets <see cref="ReachabilityWave.Forget"/> in the namespaces held open (an entry of another namespace is not
    /// this machine's: left), then sends the probes, at most 64 at once.
    /// </summary>
    internal async Task<ReachabilityWaveResult> RunAsync(ReachabilityWave wave, CancellationToken cancellation)
    {
        var start = ProbeCounters.Read();
        bool forgotAll = true;
        foreach (var byNs in wave.Forget.GroupBy(e => e.Namespace, StringComparer.Ordinal))
        {
            try
            {
                if (!_rtnls.TryGetValue(byNs.Key, out var rtnl))
                    throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "forget neighbours", "not open", byNs.Key);
                rtnl.ForgetNeighbors(byNs.Select(e => e.Address).ToHashSet());
            }
            catch (NetNsException)
            {
                forgotAll = false;
            }
        }
        var options = new ConnectionProbeOptions { Count = wave.Count, Timeout = wave.Timeout };
        var results = new Dictionary<int, ConnectionTestResult>();
        using var gate = new SemaphoreSlim(Concurrency);
        var probing = wave.Probes.Select(async p =>
        {
            await gate.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                if (!_handles.TryGetValue(p.Namespace, out var handle))
                    throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "test lab", $"namespace '{p.Namespace}' is not open here", p.Namespace);
                return (p.Id, Result: await ConnectionProbe.TestAsync(handle, p.Namespace, p.Address, options, cancellation).ConfigureAwait(false));
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        foreach (var (id, result) in await Task.WhenAll(probing).ConfigureAwait(false))
            results[id] = result;
        return new ReachabilityWaveResult(results, start, ProbeCounters.Read(), forgotAll);
    }

    private const int Concurrency = 64;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var r in _rtnls.Values)
            r.Dispose();
        foreach (var h in _handles.Values)
            h.Dispose();
        _rtnls.Clear();
        _handles.Clear();
    }
}

/// <summary>A machine's kernel as a matrix paces to it: its boot_id, its tables' limits, their overflows so far.</summary>
internal sealed record ReachabilityKernel(string BootId, int LimitV4, int LimitV6, ProbeCounters Counters);

/// <summary>
/// What a machine lost that a probe cannot tell from no answer: its neighbour tables' overflows (IPv4, IPv6) and its
/// input backlog's drops; a count that cannot be read is null (and tells nothing).
/// </summary>
internal readonly record struct ProbeCounters(long? TableFullV4, long? TableFullV6, long? BacklogDrops)
{
    public static ProbeCounters Read()
    {
        var (v4, v6) = NeighborTables.Snapshot();
        return new(v4, v6, HostBacklog.Dropped());
    }

    /// <summary>Whether a neighbour table overflowed between <paramref name="before"/> and these.</summary>
    public bool TableFullSince(ProbeCounters before) => TableFullV4 > before.TableFullV4 || TableFullV6 > before.TableFullV6;

    /// <summary>Whether packets were dropped for a full backlog between <paramref name="before"/> and these.</summary>
    public bool DroppedSince(ProbeCounters before) => BacklogDrops > before.BacklogDrops;
}

/// <summary>A probe of a wave: its index in the matrix, the namespace it is sent from, the address.</summary>
internal sealed record ReachabilityProbe(int Id, string Namespace, IPAddress Address);

/// <summary>What one machine does for a wave: forget these entries, then send these probes (Count echoes, Timeout each).</summary>
internal sealed record ReachabilityWave(IReadOnlyList<(string Namespace, IPAddress Address)> Forget, IReadOnlyList<ReachabilityProbe> Probes, int Count, TimeSpan Timeout);

/// <summary>A machine's answer to a wave: each probe's result by its Id, its counters before and after, whether all was forgotten.</summary>
internal sealed record ReachabilityWaveResult(IReadOnlyDictionary<int, ConnectionTestResult> Results, ProbeCounters Start, ProbeCounters End, bool ForgotAll);
