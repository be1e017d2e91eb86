using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetNs.Core.Interop;

namespace NetNs.Core.Tests;

/// <summary>ConnectionProbe against the real kernel: echo and TCP tests from inside namespaces, no ping binary.</summary>
public class ConnectionProbeTests
{
    /// <summary>Two namespaces on a veth pair: a (198.18.60.1, 2001:db8:60::1) and b (.2, ::2), with lo up.</summary>
    private static (string A, string B) VethLab(Lab lab)
    {
        string a = lab.Namespace(), b = lab.Namespace();
        using var bNs = NamespaceHandle.OpenName(b);
        using var ra = NetlinkHandle.Open(NamespaceHandle.OpenName(a), ownsNamespace: true);
        using var rb = NetlinkHandle.Open(bNs);
        ra.CreateVeth(new VethSpec { Name = "va", PeerName = "vb", PeerNamespace = bNs, Up = true });
        rb.SetLink("vb", new LinkChanges { Up = true });
        var nodad = new AddressOptions { SkipDuplicateAddressDetection = true };
        ra.AddAddress("va", IPPrefix.Parse("198.18.60.1/24"));
        rb.AddAddress("vb", IPPrefix.Parse("198.18.60.2/24"));
        ra.AddAddress("va", IPPrefix.Parse("2001:db8:60::1/64"), nodad);
        rb.AddAddress("vb", IPPrefix.Parse("2001:db8:60::2/64"), nodad);
        // The kernel sets operstate UP a moment after both ends are up (linkwatch), and IPv6 uses the link only then:
        // an echo sent before can go unanswered. Every count asserted below needs the lab ready first.
        Assert.True(SpinWait.SpinUntil(() => ra.GetLink("va").OperationalState == "UP" && rb.GetLink("vb").OperationalState == "UP",
            TimeSpan.FromSeconds(5)), "the veth pair did not come up");
        return (a, b);
    }

    private static ConnectionTestResult Probe(string ns, string target, ConnectionProbeOptions? options = null)
    {
        using var h = NetlinkHandle.Open(NamespaceRef.FromName(ns));
        return ConnectionProbe.Test(h, IPAddress.Parse(target), options);
    }

    [RootFact]
    public void EchoOverIpv4ReportsSourceInterfaceAndRoundTrip()
    {
        using var lab = new Lab();
        var (a, _) = VethLab(lab);
        var r = Probe(a, "198.18.60.2");
        Assert.True(r.Success);
        Assert.True(r.PingSucceeded);
        Assert.Null(r.TcpTestSucceeded);
        Assert.Equal("Success", r.Status);
        Assert.Equal(a, r.Namespace);
        Assert.Equal("198.18.60.1", r.SourceAddress);
        Assert.Equal("va", r.InterfaceAlias);
        Assert.True(r.RoundTripTime > TimeSpan.Zero);
        Assert.Equal((1, 1), (r.PacketsSent, r.PacketsReceived));
    }

    [RootFact]
    public void EchoOverIpv6()
    {
        using var lab = new Lab();
        var (a, b) = VethLab(lab);
        var r = Probe(b, "2001:db8:60::1", new ConnectionProbeOptions { Count = 3 });
        Assert.True(r.Success, r.Status);
        Assert.Equal("2001:db8:60::2", r.SourceAddress);
        // Count is how many are sent; the test passes on any reply. On a loaded machine one IPv6 echo of a fresh link
        // now and then goes unanswered (seen 2 runs in ~10), so the count received is 1 to 3, not always 3.
        Assert.Equal(3, r.PacketsSent);
        Assert.InRange(r.PacketsReceived, 1, 3);
        Assert.True(Probe(a, "2001:db8:60::2").Success);
    }

    [RootFact]
    public void AnUnansweredEchoTimesOutWithinItsBound()
    {
        using var lab = new Lab();
        var (a, _) = VethLab(lab);
        var clock = Stopwatch.StartNew();
        var r = Probe(a, "198.18.60.3", new ConnectionProbeOptions { Count = 2, Timeout = TimeSpan.FromMilliseconds(200) });
        clock.Stop();
        Assert.False(r.Success);
        Assert.False(r.PingSucceeded);
        Assert.Null(r.RoundTripTime);
        Assert.Equal(0, r.PacketsReceived);
        Assert.Contains(r.Status, new[] { "TimedOut", "HostUnreachable" });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [RootFact]
    public void NoRouteIsNetworkUnreachable()
    {
        using var lab = new Lab();
        var (a, _) = VethLab(lab);
        var r = Probe(a, "198.19.200.1");
        Assert.False(r.Success);
        Assert.Equal("NetworkUnreachable", r.Status);
    }

    [RootFact]
    public void TheProbeStaysInItsNamespace()
    {
        // 198.18.60.2 exists only in b: from a fresh namespace with no links the same address is unreachable,
        // and the caller's thread is still in its own namespace afterwards.
        using var lab = new Lab();
        VethLab(lab);
        string empty = lab.Namespace();
        Assert.True(FileIdentity.TryOfPath(NamespaceHandle.CurrentPath, out var before, out _));
        Assert.False(Probe(empty, "198.18.60.2", new ConnectionProbeOptions { Timeout = TimeSpan.FromMilliseconds(200) }).Success);
        Assert.True(FileIdentity.TryOfPath(NamespaceHandle.CurrentPath, out var after, out _));
        Assert.Equal(before, after);
    }

    [RootFact]
    public void TcpToAListenerSucceedsAndToAClosedPortIsRefused()
    {
        using var lab = new Lab();
        var (a, b) = VethLab(lab);
        using var bNs = NamespaceHandle.OpenName(b);
        // The listener's socket is made inside b; the kernel completes handshakes into its backlog.
        using var listener = NamespaceWorker.Run(bNs, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(new IPEndPoint(IPAddress.Any, 18080));
        listener.Listen(8);

        var open = Probe(a, "198.18.60.2", new ConnectionProbeOptions { Port = 18080 });
        Assert.True(open.Success, open.Status);
        Assert.True(open.TcpTestSucceeded);
        Assert.Null(open.PingSucceeded);
        Assert.Equal(18080, open.RemotePort);
        Assert.Equal("198.18.60.1", open.SourceAddress);
        Assert.Equal("va", open.InterfaceAlias);

        var closed = Probe(a, "198.18.60.2", new ConnectionProbeOptions { Port = 18081 });
        Assert.False(closed.Success);
        Assert.False(closed.TcpTestSucceeded);
        Assert.Equal("ConnectionRefused", closed.Status);
    }

    [RootTheory]
    [InlineData(0, 1000, null)]
    [InlineData(101, 1000, null)]
    [InlineData(1, 0, null)]
    [InlineData(1, 1000, 70000)]
    public void BadOptionsAreInvalidArgument(int count, int timeoutMs, int? port)
    {
        using var h = NetlinkHandle.Open();
        var e = Assert.Throws<NetNsException>(() => ConnectionProbe.Test(h, IPAddress.Loopback,
            new ConnectionProbeOptions { Count = count, Timeout = TimeSpan.FromMilliseconds(timeoutMs), Port = port }));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
    }

    [Fact]
    public void EchoRequestsCarryAValidChecksumAndRepliesAreMatchedStrictly()
    {
        byte[] req = IcmpEcho.Request(AddressFamily.InterNetwork, 0x1234, 7);
        Assert.Equal(8, req[0]);
        Assert.Equal(0, IcmpEcho.Checksum(req)); // a message with its checksum in place sums to zero
        // RFC 1071's example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2, so the checksum is 0x220d.
        Assert.Equal(0x220d, IcmpEcho.Checksum([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]));

        byte[] reply = new byte[20 + req.Length];
        reply[0] = 0x45;
        req.CopyTo(reply, 20);
        reply[20] = 0; // echo reply
        Assert.True(IcmpEcho.IsReply(AddressFamily.InterNetwork, reply, 0x1234, 7));
        Assert.False(IcmpEcho.IsReply(AddressFamily.InterNetwork, reply, 0x1234, 8));
        Assert.False(IcmpEcho.IsReply(AddressFamily.InterNetwork, reply, 0x1235, 7));
        Assert.False(IcmpEcho.IsReply(AddressFamily.InterNetwork, reply.AsSpan(0, 24), 0x1234, 7));
        reply[0] = 0x4f; // IHL beyond the packet
        Assert.False(IcmpEcho.IsReply(AddressFamily.InterNetwork, reply.AsSpan(0, 40), 0x1234, 7));

        byte[] v6 = IcmpEcho.Request(AddressFamily.InterNetworkV6, 1, 1);
        Assert.Equal(128, v6[0]);
        v6[0] = 129;
        Assert.True(IcmpEcho.IsReply(AddressFamily.InterNetworkV6, v6, 1, 1));
        v6[0] = 128; // our own request, seen by the raw socket, is not a reply
        Assert.False(IcmpEcho.IsReply(AddressFamily.InterNetworkV6, v6, 1, 1));
    }
}
