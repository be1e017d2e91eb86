using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NetNs.Core.Tests;

/// <summary>
/// Readiness waits on the real kernel between two test namespaces (c0 in A, 198.18.82.1/30; c1 in B, .2): something
/// started later is waited for and found, and a wait that runs out is ConditionTimeout, on time, naming the last status.
/// </summary>
public sealed class ConditionWaitTests
{
    private const string AddressA = "198.18.82.1", AddressB = "198.18.82.2";

    private static (string A, string B) Pair(Lab lab)
    {
        string a = lab.Namespace(), b = lab.Namespace();
        Ip.Must("-n", a, "link", "add", "c0", "type", "veth", "peer", "name", "c1", "netns", b);
        Ip.Must("-n", a, "addr", "add", AddressA + "/30", "dev", "c0");
        Ip.Must("-n", b, "addr", "add", AddressB + "/30", "dev", "c1");
        Ip.Must("-n", a, "link", "set", "c0", "up");
        Ip.Must("-n", b, "link", "set", "c1", "up");
        Ip.Must("-n", b, "link", "set", "lo", "up");
        return (a, b);
    }

    private static readonly ConditionWaitOptions Short = new() { Timeout = TimeSpan.FromSeconds(5), Interval = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public void ProcNetTablesParseIntoListeningEndpoints()
    {
        const string Tcp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0 100 0 0 10 0
               1: 0252A8C6:0050 0152A8C6:C350 01 00000000:00000000 00:00000000 00000000     0        0 1002 1 0 100 0 0 10 0
            """;
        Assert.Equal([new IPEndPoint(IPAddress.Parse("127.0.0.1"), 8080)], ListeningSockets.Parse(Tcp, "0A"));
        Assert.Equal([new IPEndPoint(IPAddress.Parse("198.168.82.2"), 80)], ListeningSockets.Parse(Tcp, "01"));
        const string Tcp6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue
               0: B80D0120000000000000000002000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000
            """;
        Assert.Equal([new IPEndPoint(IPAddress.Parse("2001:db8::2"), 443)], ListeningSockets.Parse(Tcp6, "0A"));
    }

    [RootFact]
    public void ATcpPortOpenedLaterIsWaitedForBothFromOutsideAndAsAListener()
    {
        using var lab = new Lab();
        var (a, b) = Pair(lab);
        using var ha = NetlinkHandle.Open(NamespaceRef.FromName(a));
        using var hb = NetlinkHandle.Open(NamespaceRef.FromName(b));
        // Until the kernel's link watch has made the veth operationally up its queue drops what is sent (the first SYN
        // would be lost, and the first probe time out): wait for that first.
        Assert.True(ConditionWait.LinkUp(ha, "c0", Short).Met);
        using var nsB = NamespaceRef.FromName(b).Open();
        using var listener = NamespaceSockets.Open(nsB, AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Any, 0));
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port; // bound, not yet listening: connections are refused
        var later = Task.Run(async () => { await Task.Delay(700); listener.Listen(4); });

        var listening = Task.Run(() => ConditionWait.Listening(hb, port, ListenProtocol.Tcp, Short));
        var reached = ConditionWait.Reachable(ha, IPAddress.Parse(AddressB), port, Short);
        later.Wait();
        Assert.True(reached.Met);
        Assert.Equal("Success", reached.Status);
        Assert.InRange(reached.Elapsed.TotalSeconds, 0.6, 3);
        Assert.True(reached.Probes >= 3, $"{reached.Probes} probes");
        Assert.IsType<ConnectionTestResult>(reached.LastResult);
        var l = listening.Result;
        Assert.True(l.Met);
        Assert.Contains(new IPEndPoint(IPAddress.Any, port), (IPEndPoint[])l.LastResult!);
        Assert.InRange(l.Elapsed.TotalSeconds, 0.6, 3);

        // Not in A, and not on UDP: those run out.
        var e = Assert.Throws<NetNsException>(() => Throwing(ConditionWait.Listening(ha, port, ListenProtocol.Udp,
            new ConditionWaitOptions { Timeout = TimeSpan.FromMilliseconds(300), Interval = TimeSpan.FromMilliseconds(50) })));
        Assert.Equal(NetNsErrorReason.ConditionTimeout, e.Reason);
        Assert.Contains($"something to listen on udp port {port}", e.Message);
        Assert.Contains("reported NotListening", e.Message);
    }

    private static NetNsConditionResult Throwing(NetNsConditionResult r) => r.Met ? r : throw ConditionWait.Timeout(r);

    [RootFact]
    public void AUdpSocketBoundLaterIsListening()
    {
        using var lab = new Lab();
        var (_, b) = Pair(lab);
        using var hb = NetlinkHandle.Open(NamespaceRef.FromName(b));
        using var nsB = NamespaceRef.FromName(b).Open();
        using var udp = NamespaceSockets.Open(nsB, AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        var later = Task.Run(async () => { await Task.Delay(400); udp.Bind(new IPEndPoint(IPAddress.IPv6Any, 18097)); });
        var r = ConditionWait.Listening(hb, 18097, ListenProtocol.Udp, Short);
        later.Wait();
        Assert.True(r.Met);
        Assert.InRange(r.Elapsed.TotalSeconds, 0.35, 3);
    }

    [RootFact]
    public void ARefusedPortRunsOutOnTimeWithItsStatusAndAnAnswerNeverComingIsBoundedToo()
    {
        using var lab = new Lab();
        var (a, _) = Pair(lab);
        using var ha = NetlinkHandle.Open(NamespaceRef.FromName(a));
        var options = new ConditionWaitOptions { Timeout = TimeSpan.FromSeconds(1), Interval = TimeSpan.FromMilliseconds(200) };
        var clock = Stopwatch.StartNew();
        var refused = ConditionWait.Reachable(ha, IPAddress.Parse(AddressB), 18099, options);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.99, 1.5); // to the timeout, not the last probe
        Assert.False(refused.Met);
        Assert.Equal("ConnectionRefused", refused.Status);
        Assert.InRange(refused.Probes, 2, 6); // one per 200 ms at most (fewer when the machine is busy)
        var e = ConditionWait.Timeout(refused);
        Assert.Equal(NetNsErrorReason.ConditionTimeout, e.Reason);
        Assert.Matches($@"^timed out after 1\.\d s waiting in namespace '{a}' for 198\.18\.82\.2:18099 \(tcp\) to accept a connection; the last probe \(\d made\) reported ConnectionRefused$", e.Message);

        // Nobody there (no neighbour answers): each echo waits, none runs past the deadline by more than a probe's timeout.
        clock.Restart();
        var silent = ConditionWait.Reachable(ha, IPAddress.Parse("198.18.82.3"), null, options);
        Assert.False(silent.Met);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 2.2);
        Assert.NotEqual("Success", silent.Status);
    }

    [RootFact]
    public void ALinkSetUpLaterIsWaitedForAndAMissingOneRunsOutAsLinkNotFound()
    {
        using var lab = new Lab();
        var (a, _) = Pair(lab);
        using var ha = NetlinkHandle.Open(NamespaceRef.FromName(a));
        Ip.Must("-n", a, "link", "set", "c0", "down");
        var later = Task.Run(async () => { await Task.Delay(500); Ip.Must("-n", a, "link", "set", "c0", "up"); });
        var up = ConditionWait.LinkUp(ha, "c0", Short);
        later.Wait();
        Assert.True(up.Met);
        Assert.Equal("UP", ((NetNsLink)up.LastResult!).OperationalState);
        Assert.InRange(up.Elapsed.TotalSeconds, 0.45, 3);
        Ip.Must("-n", a, "link", "set", "lo", "up");
        Assert.True(ConditionWait.LinkUp(ha, "lo", Short).Met); // loopback: UNKNOWN, with UP and LOWER_UP

        var missing = ConditionWait.LinkUp(ha, "nt-none0", new ConditionWaitOptions { Timeout = TimeSpan.FromMilliseconds(200), Interval = TimeSpan.FromMilliseconds(50) });
        Assert.Equal((false, "LinkNotFound"), (missing.Met, missing.Status));
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() =>
            ConditionWait.LinkUp(ha, "c0", new ConditionWaitOptions { Timeout = TimeSpan.Zero })).Reason);
    }
}
