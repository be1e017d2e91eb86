using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace NetNs.Core;

/// <summary>How long and how often a <see cref="ConditionWait"/> probes.</summary>
public sealed class ConditionWaitOptions
{
    /// <summary>The longest wait (more than 0, at most 1 hour); 10 s by default.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time from one probe's start to the next (10 ms to 1 minute); 200 ms by default.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>
/// Readiness waits for labs: probe a condition inside a namespace until it holds or the timeout passes — an address
/// answering an ICMP echo or accepting a TCP connection (the in-process <see cref="ConnectionProbe"/>), something
/// listening on a port (<see cref="ListeningSockets"/>), a link operationally up. Every wait is bounded: at most
/// Timeout / Interval + 1 probes, none running past the deadline by more than its own timeout (1 s at most).
/// A wait that runs out throws ConditionTimeout naming the condition and the last probe's status.
/// </summary>
public static class ConditionWait
{
    private static readonly TimeSpan MaxProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Waits until <paramref name="target"/> answers an echo from the namespace of <paramref name="rtnl"/>, or with a
    /// <paramref name="port"/> accepts a TCP connection. Equivalent to: `until ip netns exec NS ping -c1 -W1 ADDR; do
    /// sleep 0.2; done` (or `nc -z ADDR PORT`), bounded.
    /// </summary>
    public static NetNsConditionResult Reachable(NetlinkHandle rtnl, IPAddress target, int? port, ConditionWaitOptions? options = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(rtnl);
        ArgumentNullException.ThrowIfNull(target);
        string what = port is { } p ? $"{Endpoint(target, p)} (tcp) to accept a connection" : $"{target} to answer an echo (icmp)";
        var result = Until(rtnl.NamespaceName, what, options, cancellation, left =>
        {
            var probe = new ConnectionProbeOptions { Port = port, Timeout = left < MaxProbeTimeout ? left : MaxProbeTimeout };
            var r = ConnectionProbe.TestAsync(rtnl.Namespace, rtnl.NamespaceName, target, probe, cancellation).GetAwaiter().GetResult();
            return (r.Success, r.Status, r);
        });
        return result.LastResult is ConnectionTestResult last && !result.Met
            ? With(result, ConnectionProbe.WithInterface(rtnl, last))
            : result;
    }

    /// <summary>
    /// Waits until a socket listens on <paramref name="port"/> inside the namespace of <paramref name="rtnl"/> (TCP:
    /// LISTEN; UDP: bound and unconnected), on any address. Equivalent to: `until ip netns exec NS ss -Hltn "sport = :PORT"
    /// | grep -q .; do sleep 0.2; done`, bounded.
    /// </summary>
    public static NetNsConditionResult Listening(NetlinkHandle rtnl, int port, ListenProtocol protocol, ConditionWaitOptions? options = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(rtnl);
        if (port is < 1 or > 65535)
            throw NetNsException.Invalid("wait for condition", port.ToString(CultureInfo.InvariantCulture), $"port {port} is not between 1 and 65535");
        string what = $"something to listen on {protocol.ToString().ToLowerInvariant()} port {port}";
        return Until(rtnl.NamespaceName, what, options, cancellation, _ =>
        {
            var found = ListeningSockets.Read(rtnl.Namespace, protocol).Where(e => e.Port == port).ToArray();
            return (found.Length > 0, found.Length > 0 ? "Listening" : "NotListening", found);
        });
    }

    /// <summary>
    /// Waits until <paramref name="link"/> in the namespace of <paramref name="rtnl"/> is operationally up: operstate UP,
    /// or UNKNOWN with UP and LOWER_UP set (loopback and other links without a carrier state). A link not there yet is
    /// waited for too. Equivalent to: `until ip -n NS link show LINK | grep -q 'state UP'; do sleep 0.2; done`, bounded.
    /// </summary>
    public static NetNsConditionResult LinkUp(NetlinkHandle rtnl, string link, ConditionWaitOptions? options = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(rtnl);
        Names.CheckInterfaceName(link, "wait for condition");
        return Until(rtnl.NamespaceName, $"link {link} to be up", options, cancellation, _ =>
        {
            if (rtnl.FindLink(link) is not { } l)
                return (false, "LinkNotFound", null);
            bool up = l.OperationalState == "UP"
                || (l.OperationalState == "UNKNOWN" && l.Flags.Contains("UP") && l.Flags.Contains("LOWER_UP"));
            return (up, up ? "Up" : l.OperationalState switch { "DOWN" when l.State == LinkState.Down => "AdministrativelyDown", var s => s }, l);
        });
    }

    private static void Validate(ConditionWaitOptions o)
    {
        if (o.Timeout <= TimeSpan.Zero || o.Timeout > TimeSpan.FromHours(1))
            throw NetNsException.Invalid("wait for condition", o.Timeout.ToString(), $"the timeout must be more than 0 and at most 1 hour, not {o.Timeout}");
        if (o.Interval < TimeSpan.FromMilliseconds(10) || o.Interval > TimeSpan.FromMinutes(1))
            throw NetNsException.Invalid("wait for condition", o.Interval.ToString(), $"the interval must be between 10 ms and 1 minute, not {o.Interval}");
    }

    // The loop: probe, and until it holds, wait for the next interval; the last probe starts before the deadline.
    private static NetNsConditionResult Until(string? ns, string what, ConditionWaitOptions? options, CancellationToken cancellation,
        Func<TimeSpan, (bool Met, string Status, object? Result)> probe)
    {
        options ??= new ConditionWaitOptions();
        Validate(options);
        var clock = Stopwatch.StartNew();
        int probes = 0;
        int maxProbes = (int)Math.Min(int.MaxValue, options.Timeout.Ticks / options.Interval.Ticks + 1);
        (bool Met, string Status, object? Result) last = (false, "NotProbed", null);
        while (probes < maxProbes)
        {
            cancellation.ThrowIfCancellationRequested();
            var started = clock.Elapsed;
            var left = options.Timeout - started;
            // No probe in the last moments (a wait handle may wake a little early): it would have no time to answer,
            // and its TimedOut would hide what the probes before it saw.
            if (left <= TimeSpan.Zero || (probes > 0 && left < MinimumLeft(options)))
                break;
            last = probe(left);
            probes++;
            if (last.Met)
                break;
            // The next probe, or when there is none before the deadline, the deadline itself: a wait that fails
            // lasts its timeout.
            var next = started + options.Interval;
            bool lastOne = next >= options.Timeout;
            var pause = (lastOne ? options.Timeout : next) - clock.Elapsed;
            if (pause > TimeSpan.Zero && cancellation.WaitHandle.WaitOne(pause))
                cancellation.ThrowIfCancellationRequested();
            if (lastOne)
                break;
        }
        var result = new NetNsConditionResult
        {
            Namespace = ns,
            Condition = what,
            Met = last.Met,
            Status = last.Status,
            Elapsed = clock.Elapsed,
            Probes = probes,
            LastResult = last.Result,
        };
        return result;
    }

    private static TimeSpan MinimumLeft(ConditionWaitOptions o) => (o.Interval < MaxProbeTimeout ? o.Interval : MaxProbeTimeout) / 2;

    private static NetNsConditionResult With(NetNsConditionResult r, ConnectionTestResult last) => new()
    {
        Namespace = r.Namespace,
        Condition = r.Condition,
        Met = r.Met,
        Status = last.Status,
        Elapsed = r.Elapsed,
        Probes = r.Probes,
        LastResult = last,
    };

    /// <summary>
    /// The ConditionTimeout error for a wait that ran out: "waited 2.0 s in namespace 'red' for 198.18.0.2:80 (tcp) to
    /// accept a connection; the last probe (10 of 10) reported ConnectionRefused".
    /// </summary>
    public static NetNsException Timeout(NetNsConditionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string where = result.Namespace is { } ns ? $"in namespace '{ns}'" : "in the current namespace";
        string detail = result.LastResult is ConnectionTestResult { Detail: { } d } ? $" ({d})" : "";
        return new NetNsException(NetNsErrorReason.ConditionTimeout, "wait for condition",
            string.Create(CultureInfo.InvariantCulture,
                $"timed out after {result.Elapsed.TotalSeconds:0.0} s waiting {where} for {result.Condition}; the last probe ({result.Probes} made) reported {result.Status}{detail}"),
            result.Namespace);
    }

    private static string Endpoint(IPAddress a, int port) =>
        a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{a}]:{port}" : $"{a}:{port}";
}
