using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NetNs.Core;

/// <summary>How a <see cref="ConnectionProbe"/> test is made.</summary>
public sealed class ConnectionProbeOptions
{
    /// <summary>TCP port to connect to; null for an ICMP echo test.</summary>
    public int? Port { get; init; }

    /// <summary>Echo requests to send (1 to 100); the test passes when any is answered. Ignored for TCP.</summary>
    public int Count { get; init; } = 1;

    /// <summary>How long to wait for each reply, or for the TCP handshake.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Reachability from inside a namespace, in-process, with no ping binary: the socket (a raw ICMP/ICMPv6 socket,
/// or a TCP socket) is created on NetNs's worker thread inside the namespace, so it belongs to that namespace
/// whichever thread then sends and waits on it. Needs CAP_NET_RAW for ICMP (root has it). Every test is bounded:
/// at most Count × Timeout for ICMP, Timeout for TCP.
/// </summary>
public static class ConnectionProbe
{
    private const int MaxCount = 100;

    /// <summary>
    /// Tests <paramref name="target"/> from the namespace of <paramref name="rtnl"/>; the interface is named from its
    /// addresses afterwards. Equivalent to: `ip netns exec NS ping -c COUNT -W TIMEOUT ADDRESS`, or with a port
    /// `ip netns exec NS nc -z -w TIMEOUT ADDRESS PORT`.
    /// </summary>
    public static ConnectionTestResult Test(NetlinkHandle rtnl, IPAddress target, ConnectionProbeOptions? options = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(rtnl);
        var result = TestAsync(rtnl.Namespace, rtnl.NamespaceName, target, options, cancellation).GetAwaiter().GetResult();
        return WithInterface(rtnl, result);
    }

    /// <summary>
    /// The test itself, safe to run for many namespaces and targets at once (it touches no netlink handle).
    /// <paramref name="ns"/> null: the caller's own namespace. <paramref name="namespaceName"/> is what the result carries.
    /// </summary>
    public static async Task<ConnectionTestResult> TestAsync(NamespaceHandle? ns, string? namespaceName, IPAddress target,
        ConnectionProbeOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        options ??= new ConnectionProbeOptions();
        Validate(target, options);
        return options.Port is { } port
            ? await TcpAsync(ns, namespaceName, target, port, options.Timeout, cancellation).ConfigureAwait(false)
            : await EchoAsync(ns, namespaceName, target, options.Count, options.Timeout, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// Fills in <see cref="ConnectionTestResult.InterfaceAlias"/> from the namespace's addresses, and says why a test
    /// failed when the reason is the namespace's own: a probe to one of its own addresses (or to 127.0.0.0/8, ::1) while
    /// its loopback is down — as after `ip netns add` — gets the Status LoopbackDown instead of TimedOut or
    /// NetworkUnreachable.
    /// </summary>
    public static ConnectionTestResult WithInterface(NetlinkHandle rtnl, ConnectionTestResult result)
    {
        ArgumentNullException.ThrowIfNull(rtnl);
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Success && IPAddress.TryParse(result.RemoteAddress, out var remote)
            && (IPAddress.IsLoopback(remote) || rtnl.GetAddresses().Any(a => IPAddress.TryParse(a.IPAddress, out var own) && own.Equals(remote)))
            && rtnl.FindLink("lo") is { State: LinkState.Down })
            result = result with { Status = "LoopbackDown" };
        if (result.SourceAddress is null || !IPAddress.TryParse(result.SourceAddress, out var source))
            return result;
        var link = rtnl.GetAddresses().FirstOrDefault(a => IPAddress.TryParse(a.IPAddress, out var ip) && ip.Equals(source));
        return link is null ? result : result with { InterfaceAlias = link.InterfaceAlias };
    }

    private static void Validate(IPAddress target, ConnectionProbeOptions options)
    {
        string t = target.ToString();
        if (target.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw NetNsException.Invalid("test connection", t, $"'{t}' is not an IPv4 or IPv6 address");
        if (options.Count is < 1 or > MaxCount)
            throw NetNsException.Invalid("test connection", t, $"the count must be between 1 and {MaxCount}, not {options.Count}");
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(1))
            throw NetNsException.Invalid("test connection", t, "the timeout must be more than 0 and at most 60 s");
        if (options.Port is { } p && p is < 1 or > 65535)
            throw NetNsException.Invalid("test connection", t, $"port {p} is not between 1 and 65535");
    }

    private static Socket OpenIn(NamespaceHandle? ns, AddressFamily family, SocketType type, ProtocolType protocol)
    {
        Socket Create() => new(family, type, protocol);
        try
        {
            return ns is null ? Create() : NamespaceWorker.Run(ns, Create);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied && type == SocketType.Raw)
        {
            throw new NetNsException(NetNsErrorReason.PermissionDenied, "open a probe socket",
                "an ICMP echo needs a raw socket, which needs CAP_NET_RAW (a TCP test with -Port needs none)", ns?.DisplayName, e.NativeErrorCode, inner: e);
        }
        catch (SocketException e)
        {
            throw NetNsException.FromErrno("open a probe socket", e.NativeErrorCode,
                ObjectKind.Namespace, ns?.DisplayName);
        }
    }

    private static async Task<ConnectionTestResult> EchoAsync(NamespaceHandle? ns, string? name, IPAddress target,
        int count, TimeSpan timeout, CancellationToken cancellation)
    {
        var family = target.AddressFamily;
        using var socket = OpenIn(ns, family, SocketType.Raw, family == AddressFamily.InterNetworkV6 ? ProtocolType.IcmpV6 : ProtocolType.Icmp);
        string? source;
        try
        {
            // A connected raw socket takes only packets from the target, and getsockname gives the source address.
            socket.Connect(new IPEndPoint(target, 0));
            source = (socket.LocalEndPoint as IPEndPoint)?.Address.ToString();
        }
        catch (SocketException e)
        {
            var failed = Result(name, target, null, null, e.SocketErrorCode.ToString(), null, count, 0, ping: false);
            return Diagnose(ns, name, target, null) is { } diagnosed ? diagnosed(failed) : failed;
        }

        var overflowsBefore = NeighborTables.Overflows(family);
        ushort id = (ushort)Random.Shared.Next(1, ushort.MaxValue);
        var buffer = new byte[1500];
        var rtts = new List<TimeSpan>();
        string status = nameof(SocketError.TimedOut);
        int sent = 0;
        for (ushort seq = 1; seq <= count; seq++)
        {
            cancellation.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            try
            {
                await socket.SendAsync(IcmpEcho.Request(family, id, seq), SocketFlags.None, cancellation).ConfigureAwait(false);
                sent++;
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                wait.CancelAfter(timeout);
                while (true)
                {
                    int n = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token).ConfigureAwait(false);
                    if (IcmpEcho.IsReply(family, buffer.AsSpan(0, n), id, seq))
                    {
                        rtts.Add(clock.Elapsed);
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                // This echo timed out; the next one may still be answered.
            }
            catch (SocketException e)
            {
                // A connected socket hears of ICMP errors for its destination (host or network unreachable).
                status = e.SocketErrorCode.ToString();
            }
        }
        bool ok = rtts.Count > 0;
        var mean = ok ? TimeSpan.FromTicks((long)rtts.Average(t => t.Ticks)) : (TimeSpan?)null;
        var result = Result(name, target, null, source, ok ? "Success" : status, mean, sent, rtts.Count, ping: ok);
        if (ok)
            return result;
        if (Diagnose(ns, name, target, source) is { } loopback)
            return loopback(result);
        // A request or its answer dropped for want of a neighbour entry (the host's table was full meanwhile) looks like
        // no answer at all (IPv4: nothing; IPv6: EINVAL at the send): not a verdict on the path.
        if (status is nameof(SocketError.TimedOut) or nameof(SocketError.InvalidArgument) or nameof(SocketError.NoBufferSpaceAvailable)
            && overflowsBefore is long before && NeighborTables.Overflows(family) is long after && after > before)
            return result with { Status = InconclusiveStatus, Detail = TableFullDetail(family, status) };
        return result;
    }

    /// <summary>The status of a probe that could not tell "no answer" from "an answer lost to a host limit".</summary>
    public const string InconclusiveStatus = "Inconclusive";

    /// <summary>The status of a probe that failed because the source namespace's loopback is down.</summary>
    public const string LoopbackDownStatus = "LoopbackDown";

    internal static string TableFullDetail(AddressFamily family, string status) =>
        $"{status}, but the host's {(family == AddressFamily.InterNetworkV6 ? "IPv6 neighbour (NDP)" : "IPv4 neighbour (ARP)")} table was full meanwhile "
        + $"(gc_thresh3 = {NeighborTables.Limit(family)} entries, shared by every namespace): the request or its answer may have been dropped; "
        + "test again, or fewer pairs at once";

    // A target that is the namespace's own (a loopback address, or an address of its own: the source the kernel picks
    // is then the target) travels over its loopback: when that is down, the probe fails for that reason.
    private static Func<ConnectionTestResult, ConnectionTestResult>? Diagnose(NamespaceHandle? ns, string? name, IPAddress target, string? source)
    {
        if (!IPAddress.IsLoopback(target) && source != target.ToString())
            return null;
        try
        {
            using var rtnl = NetlinkHandle.Open(ns);
            if ((rtnl.GetLinkMessage("lo").Flags & Netlink.Iff.Up) != 0)
                return null;
        }
        catch (NetNsException)
        {
            return null;
        }
        return r => r with
        {
            Status = LoopbackDownStatus,
            Detail = $"{r.Status}: the loopback of {(name is null ? "the current namespace" : $"namespace '{name}'")} is down, and {target} is reached through it; "
                + $"bring it up (Set-NetNsLink{(name is null ? "" : $" -Namespace {name}")} -Name lo -Up)",
        };
    }

    private static async Task<ConnectionTestResult> TcpAsync(NamespaceHandle? ns, string? name, IPAddress target, int port,
        TimeSpan timeout, CancellationToken cancellation)
    {
        using var socket = OpenIn(ns, target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        wait.CancelAfter(timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            await socket.ConnectAsync(new IPEndPoint(target, port), wait.Token).ConfigureAwait(false);
            var rtt = clock.Elapsed;
            string? source = (socket.LocalEndPoint as IPEndPoint)?.Address.ToString();
            socket.Shutdown(SocketShutdown.Both);
            return Result(name, target, port, source, "Success", rtt, 1, 1, tcp: true);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            var failed = Result(name, target, port, null, nameof(SocketError.TimedOut), null, 1, 0, tcp: false);
            return Diagnose(ns, name, target, (socket.LocalEndPoint as IPEndPoint)?.Address.ToString()) is { } loopback ? loopback(failed) : failed;
        }
        catch (SocketException e)
        {
            var failed = Result(name, target, port, null, e.SocketErrorCode.ToString(), null, 1, 0, tcp: false);
            return Diagnose(ns, name, target, (socket.LocalEndPoint as IPEndPoint)?.Address.ToString()) is { } loopback ? loopback(failed) : failed;
        }
    }

    private static ConnectionTestResult Result(string? ns, IPAddress target, int? port, string? source, string status,
        TimeSpan? rtt, int sent, int received, bool? ping = null, bool? tcp = null) => new()
    {
        Namespace = ns,
        RemoteAddress = target.ToString(),
        RemotePort = port,
        SourceAddress = source,
        PingSucceeded = ping,
        TcpTestSucceeded = tcp,
        Success = (ping ?? tcp) == true,
        Status = status,
        RoundTripTime = rtt,
        PacketsSent = sent,
        PacketsReceived = received,
    };
}
