using System.Net;
using System.Net.Sockets;

namespace NetNs.Core.Tests;

/// <summary>
/// Packet capture on the real kernel: AF_PACKET sockets made inside namespaces, BPF filters compiled by libpcap, pcapng
/// files read back by NetNs, tcpdump and tshark, and drops counted, never hidden.
/// </summary>
public sealed class CaptureTests
{
    /// <summary>a (198.18.62.1, va) and b (198.18.62.2, vb) on a veth pair, up, with ARP resolved both ways.</summary>
    internal static (string A, string B) VethLab(Lab lab)
    {
        string a = lab.Namespace(), b = lab.Namespace();
        Ip.Must("-n", a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b);
        Ip.Must("-n", a, "addr", "add", "198.18.62.1/24", "dev", "va");
        Ip.Must("-n", b, "addr", "add", "198.18.62.2/24", "dev", "vb");
        Ip.Must("-n", a, "link", "set", "va", "up");
        Ip.Must("-n", b, "link", "set", "vb", "up");
        Ip.Must("-n", a, "link", "set", "lo", "up");
        Ip.Must("-n", b, "link", "set", "lo", "up");
        Assert.True(SpinWait.SpinUntil(() => Lab.Ping(a, "198.18.62.2"), TimeSpan.FromSeconds(5)), "the veth pair did not carry a ping");
        return (a, b);
    }

    /// <summary>A TCP exchange from a to b:port: the client sends <paramref name="up"/> bytes, the server answers <paramref name="down"/> and both close.</summary>
    internal static int TcpExchange(string a, string b, int port, int up, int down)
    {
        using var bNs = NamespaceHandle.OpenName(b);
        using var aNs = NamespaceHandle.OpenName(a);
        using var listener = NamespaceSockets.Open(bNs, AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse("198.18.62.2"), port));
        listener.Listen(1);
        var server = Task.Run(() =>
        {
            using var s = listener.Accept();
            var buffer = new byte[up];
            int got = 0;
            while (got < up)
            {
                int n = s.Receive(buffer, got, up - got, SocketFlags.None);
                if (n == 0)
                    break;
                got += n;
            }
            s.Send(new byte[down]);
            s.Shutdown(SocketShutdown.Send);
            while (s.Receive(buffer) > 0)
            {
            }
            return got;
        });
        using var client = NamespaceSockets.ConnectAsync(aNs, [IPAddress.Parse("198.18.62.2")], port).GetAwaiter().GetResult();
        int clientPort = ((IPEndPoint)client.LocalEndPoint!).Port;
        client.Send(new byte[up]);
        client.Shutdown(SocketShutdown.Send);
        var reply = new byte[65536];
        int back = 0, r;
        while ((r = client.Receive(reply)) > 0)
            back += r;
        Assert.True(server.Wait(TimeSpan.FromSeconds(10)), "the server did not finish");
        Assert.Equal(up, server.Result);
        Assert.Equal(down, back);
        return clientPort;
    }

    private static string TempFile() => Path.Combine(Path.GetTempPath(), Lab.UniqueName() + ".pcapng");

    [RootFact]
    public void ATcpExchangeBetweenTwoNamespacesIsCapturedAsSentOnBothEnds()
    {
        using var lab = new Lab();
        var (a, b) = VethLab(lab);
        string file = TempFile();
        try
        {
            using var capture = NetNsCapture.Start([NamespaceRef.FromName(a), NamespaceRef.FromName(b)], ["va", "vb"],
                new CaptureOptions { Filter = "tcp port 8080", Path = file });
            Assert.Equal(CaptureState.Running, capture.State);
            Assert.Equal([$"{a}:va", $"{b}:vb"], capture.Interfaces);
            int clientPort = TcpExchange(a, b, 8080, up: 3000, down: 700);
            Thread.Sleep(200);
            capture.Stop();
            Assert.Equal(CaptureState.Stopped, capture.State);
            var packets = capture.ReadPackets().ToList();
            Assert.All(packets, p => Assert.Equal(NetNsPacketProtocol.Tcp, p.Protocol));
            Assert.Equal(packets.Count, capture.Packets);
            Assert.Equal(0, capture.Drops);
            foreach (var (ns, iface, outbound) in new[] { (a, "va", PacketDirection.Out), (b, "vb", PacketDirection.In) })
            {
                var here = packets.Where(p => p.Namespace == ns && p.InterfaceAlias == iface).ToList();
                var fromClient = here.Where(p => p.SourcePort == clientPort && p.DestinationPort == 8080).ToList();
                var fromServer = here.Where(p => p.SourcePort == 8080 && p.DestinationPort == clientPort).ToList();
                Assert.Equal(here.Count, fromClient.Count + fromServer.Count);
                Assert.All(fromClient, p => Assert.Equal(outbound, p.Direction));
                Assert.All(fromClient, p => Assert.Equal((IPAddress.Parse("198.18.62.1"), IPAddress.Parse("198.18.62.2")), (p.Source!, p.Destination!)));
                Assert.Equal("S", fromClient[0].TcpFlags);
                Assert.Equal("S.", fromServer[0].TcpFlags);
                Assert.Equal(3000, fromClient.Sum(p => p.PayloadLength!.Value));
                Assert.Equal(700, fromServer.Sum(p => p.PayloadLength!.Value));
                Assert.Contains(fromClient, p => p.TcpFlags!.Contains('F'));
                Assert.Contains(fromServer, p => p.TcpFlags!.Contains('F'));
                Assert.StartsWith($"IP 198.18.62.1.{clientPort} > 198.18.62.2.8080: Flags [S], seq ", fromClient[0].Summary, StringComparison.Ordinal);
                Assert.Equal(capture.Bytes / 2, here.Sum(p => (long)p.Length));
            }
            // The file holds the same packets, with their namespace, interface and direction.
            var fromFile = CaptureFileReader.Read(file).Select(PacketDecoder.Decode).ToList();
            Assert.Equal(packets.Select(p => (p.Namespace, p.InterfaceAlias, p.Direction, p.Summary, p.TimestampNs)),
                fromFile.Select(p => (p.Namespace, p.InterfaceAlias, p.Direction, p.Summary, p.TimestampNs)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [RootFact]
    public void APcapngFileOpensInTcpdumpAndTshark()
    {
        using var lab = new Lab();
        var (a, b) = VethLab(lab);
        string file = TempFile();
        try
        {
            long count;
            using (var capture = NetNsCapture.Start([NamespaceRef.FromName(a), NamespaceRef.FromName(b)], null,
                new CaptureOptions { Filter = "tcp or icmp", Path = file }))
            {
                TcpExchange(a, b, 8081, 100, 50);
                Assert.True(Lab.Ping(a, "198.18.62.2"));
                Thread.Sleep(200);
                capture.Stop();
                count = capture.Packets;
            }
            Assert.True(count >= 14, $"only {count} packets");
            var (code, text, err) = Lab.Run("tcpdump", "-n", "-r", file);
            Assert.True(code == 0, $"tcpdump -r failed ({code}): {err}");
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(count, lines.Length);
            Assert.Contains(lines, l => l.Contains("198.18.62.1.") && l.Contains("> 198.18.62.2.8081: Flags [S]"));
            Assert.Contains(lines, l => l.Contains("ICMP echo request"));
            (code, text, err) = Lab.Run("tshark", "-r", file, "-T", "fields", "-e", "frame.interface_name", "-e", "ip.src", "-e", "frame.packet_flags_direction");
            Assert.True(code == 0, $"tshark -r failed ({code}): {err}");
            lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(count, lines.Length);
            Assert.Contains(lines, l => l.StartsWith($"{a}:va\t198.18.62.1", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith($"{b}:vb\t198.18.62.2", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [RootFact]
    public void AFilterExcludesWhatItDoesNotName()
    {
        using var lab = new Lab();
        var (a, b) = VethLab(lab);
        using var capture = NetNsCapture.Start([NamespaceRef.FromName(b)], ["vb"], new CaptureOptions { Filter = "icmp" });
        TcpExchange(a, b, 8082, 500, 500);
        Assert.True(Lab.Ping(a, "198.18.62.2"));
        Thread.Sleep(200);
        capture.Stop();
        var packets = capture.ReadPackets().ToList();
        Assert.Equal(2, packets.Count); // the echo request in, the reply out: no TCP, no ARP
        Assert.All(packets, p => Assert.Equal(NetNsPacketProtocol.Icmp, p.Protocol));
        Assert.Equal([PacketDirection.In, PacketDirection.Out], packets.Select(p => p.Direction));
        Assert.StartsWith("IP 198.18.62.1 > 198.18.62.2: ICMP echo request, id ", packets[0].Summary, StringComparison.Ordinal);
    }

    [RootFact]
    public void WithoutInterfacesEveryInterfaceOfTheNamespaceIsCapturedAndNamed()
    {
        using var lab = new Lab();
        var (a, _) = VethLab(lab);
        using var capture = NetNsCapture.Start([NamespaceRef.FromName(a)], null, new CaptureOptions { Filter = "icmp" });
        Assert.Equal([$"{a}:*"], capture.Interfaces);
        Assert.True(Lab.Ping(a, "198.18.62.2"));
        Assert.True(Lab.Ping(a, "127.0.0.1"));
        Thread.Sleep(200);
        capture.Stop();
        var where = capture.ReadPackets().Select(p => (p.InterfaceAlias, p.Direction)).ToList();
        Assert.Contains(("va", PacketDirection.Out), where);
        Assert.Contains(("va", PacketDirection.In), where);
        Assert.Contains(("lo", PacketDirection.Out), where);
    }

    [RootFact]
    public void NamespaceColonInterfaceNamesOneNamespacesInterfaceAndANamespaceLeftWithNoneIsRefused()
    {
        using var lab = new Lab();
        var (a, b) = VethLab(lab);
        using (var capture = NetNsCapture.Start([NamespaceRef.FromName(a), NamespaceRef.FromName(b)], [$"{a}:va", $"{b}:lo"], new CaptureOptions()))
            Assert.Equal([$"{a}:va", $"{b}:lo"], capture.Interfaces);
        var e = Assert.Throws<NetNsException>(() => NetNsCapture.Start([NamespaceRef.FromName(a), NamespaceRef.FromName(b)], [$"{a}:va"], new CaptureOptions()));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Contains(b, e.Message, StringComparison.Ordinal);
        e = Assert.Throws<NetNsException>(() => NetNsCapture.Start([NamespaceRef.FromName(a), NamespaceRef.FromName(b)], ["vb", "nope0"], new CaptureOptions()));
        Assert.Equal(NetNsErrorReason.LinkNotFound, e.Reason);
    }

    [RootFact]
    public void CountAndDurationStopTheCaptureByThemselves()
    {
        using var lab = new Lab();
        var (a, b) = VethLab(lab);
        using var counted = NetNsCapture.Start([NamespaceRef.FromName(a)], ["va"], new CaptureOptions { Filter = "tcp", Count = 3 });
        using var timed = NetNsCapture.Start([NamespaceRef.FromName(a)], ["va"], new CaptureOptions { Duration = TimeSpan.FromMilliseconds(300) });
        TcpExchange(a, b, 8083, 2000, 2000);
        Assert.True(counted.Wait(TimeSpan.FromSeconds(5)));
        Assert.Equal(3, counted.Packets);
        Assert.Equal(3, counted.ReadPackets().Count());
        Assert.True(timed.Wait(TimeSpan.FromSeconds(5)));
        Assert.Equal(CaptureState.Stopped, timed.State);
        Assert.InRange(timed.EndTime!.Value - timed.StartTime, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }

    [RootFact]
    public void KernelDropsOfAFloodedSmallBufferAreCountedExactly()
    {
        using var lab = new Lab();
        var (a, b) = VethLab(lab);
        const int sent = 20000;
        // Captured on the sender's side (egress taps see every datagram sent): packets + kernel drops = sent, exactly.
        using var capture = NetNsCapture.Start([NamespaceRef.FromName(a)], ["va"], new CaptureOptions { Filter = "udp dst port 9999", BufferSize = 1, SnapLength = 128 });
        using (var aNs = NamespaceHandle.OpenName(a))
        using (var udp = NamespaceSockets.Open(aNs, AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            var to = new IPEndPoint(IPAddress.Parse("198.18.62.2"), 9999);
            var payload = new byte[1000];
            for (int i = 0; i < sent; i++)
                udp.SendTo(payload, to);
        }
        Thread.Sleep(200);
        capture.Stop();
        Assert.True(capture.KernelDrops > 0, $"no drops with a minimal buffer: {capture.Packets} packets");
        Assert.Equal(sent, capture.Packets + capture.KernelDrops);
        Assert.Equal(capture.KernelDrops, capture.Drops);
    }

    [RootFact]
    public void PacketsBeyondTheMemoryBoundAreBufferDropsAndStillInTheFile()
    {
        using var lab = new Lab();
        var (a, _) = VethLab(lab);
        string file = TempFile();
        try
        {
            using var capture = NetNsCapture.Start([NamespaceRef.FromName(a)], ["va"],
                new CaptureOptions { Filter = "icmp", Path = file, MaxRetainedPackets = 3 });
            for (int i = 0; i < 3; i++)
                Assert.True(Lab.Ping(a, "198.18.62.2"));
            Thread.Sleep(200);
            capture.Stop();
            Assert.Equal(6, capture.Packets);
            Assert.Equal(3, capture.BufferDrops);
            Assert.Equal(3, capture.Drops);
            Assert.Equal(3, capture.ReadPackets().Count());
            Assert.Equal(6, CaptureFileReader.Read(file).Count());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ABadFilterIsInvalidFilterWithLibpcapsMessage()
    {
        var e = Assert.Throws<NetNsException>(() => BpfProgram.Compile("tcp port banana", 65535));
        Assert.Equal(NetNsErrorReason.InvalidFilter, e.Reason);
        Assert.Contains("'tcp port banana'", e.Message, StringComparison.Ordinal);
        Assert.Contains("banana", e.Message[(e.Message.IndexOf(':') + 1)..], StringComparison.Ordinal); // libpcap's own words follow
    }

    [Fact]
    public void AFilterIsCompiledAsTcpdumpCompilesIt()
    {
        var program = BpfProgram.Compile("icmp", 65535);
        var (code, text, _) = Lab.Run("tcpdump", "-s", "65535", "-y", "EN10MB", "-d", "icmp");
        Assert.True(code == 0, "tcpdump -d failed");
        Assert.Equal(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, program.Count);
    }

    [Fact]
    public void WithoutLibpcapAFilterIsLibpcapNotInstalledNamingThePackageAndNoFilterStillWorks()
    {
        var e = Assert.Throws<NetNsException>(() => BpfProgram.Compile("tcp", 65535, "libpcap-not-here.so.0.8"));
        Assert.Equal(NetNsErrorReason.LibpcapNotInstalled, e.Reason);
        Assert.Contains("libpcap0.8", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, BpfProgram.Compile("", 65535, "libpcap-not-here.so.0.8").Count);
    }

    [RootFact]
    public void AnInterfaceNotThereIsLinkNotFoundAndNoFileIsLeft()
    {
        using var lab = new Lab();
        string a = lab.Namespace();
        string file = TempFile();
        var e = Assert.Throws<NetNsException>(() => NetNsCapture.Start([NamespaceRef.FromName(a)], ["nope0"], new CaptureOptions { Path = file }));
        Assert.Equal(NetNsErrorReason.LinkNotFound, e.Reason);
        Assert.Contains("nope0", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        Assert.DoesNotContain(CaptureRegistry.List(), c => c.Namespace.Contains(a));
    }
}

/// <summary>NetNs's summaries against tcpdump's own lines for the same file (tcpdump -t -n -r: no timestamp).</summary>
public sealed class CaptureSummaryTests
{
    [RootFact]
    public void ArpIcmpAndIcmpv6SummariesReadAsTcpdumpPrintsThem()
    {
        using var lab = new Lab();
        var (a, b) = CaptureTests.VethLab(lab);
        Ip.Must("-n", a, "addr", "add", "2001:db8:62::1/64", "dev", "va", "nodad");
        Ip.Must("-n", b, "addr", "add", "2001:db8:62::2/64", "dev", "vb", "nodad");
        Ip.Must("-n", a, "neigh", "flush", "dev", "va");
        string file = Path.Combine(Path.GetTempPath(), Lab.UniqueName() + ".pcapng");
        try
        {
            using (var capture = NetNsCapture.Start([NamespaceRef.FromName(a)], ["va"], new CaptureOptions { Filter = "arp or icmp or icmp6", Path = file }))
            {
                Assert.True(Lab.Ping(a, "198.18.62.2"));
                Assert.True(SpinWait.SpinUntil(() => Lab.Ping(a, "2001:db8:62::2"), TimeSpan.FromSeconds(5)));
                Thread.Sleep(200);
                capture.Stop();
            }
            var ours = NetNsCapture.ReadFile(file).ToList();
            var (code, text, err) = Lab.Run("tcpdump", "-t", "-n", "-r", file);
            Assert.True(code == 0, $"tcpdump -r failed: {err}");
            var theirs = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(theirs.Length, ours.Count);
            Assert.Contains(ours, p => p.Protocol == NetNsPacketProtocol.Arp && p.Summary.StartsWith("ARP, Request who-has 198.18.62.2 tell 198.18.62.1", StringComparison.Ordinal));
            Assert.Contains(ours, p => p.Protocol == NetNsPacketProtocol.Arp && p.Summary.StartsWith("ARP, Reply 198.18.62.2 is-at ", StringComparison.Ordinal));
            Assert.Contains(ours, p => p.Protocol == NetNsPacketProtocol.Icmpv6 && p.Summary.Contains("echo request", StringComparison.Ordinal));
            for (int i = 0; i < ours.Count; i++)
            {
                // tcpdump adds " (oui Unknown)" after an ARP reply's MAC; ICMPv6 options it decodes are left out by NetNs.
                string line = theirs[i].Replace(" (oui Unknown)", "", StringComparison.Ordinal);
                Assert.Equal(line, ours[i].Summary);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>The decoder and the file reader on bytes that are not what they claim.</summary>
public sealed class CaptureDecoderRobustnessTests
{
    [Fact]
    public void RandomAndCutFramesDecodeWithoutThrowing()
    {
        var random = new Random(21);
        // a real-looking start: Ethernet, IPv4 or IPv6 or ARP, then noise, cut at every length
        ushort[] types = [0x0800, 0x86DD, 0x0806, 0x8100, 0x88CC];
        for (int n = 0; n < 5000; n++)
        {
            var data = new byte[random.Next(0, 120)];
            random.NextBytes(data);
            if (data.Length >= 14)
            {
                ushort type = types[n % types.Length];
                data[12] = (byte)(type >> 8);
                data[13] = (byte)type;
                if (type == 0x0800 && data.Length > 14) data[14] = (byte)(0x40 | (data[14] & 0x0f));
                if (type == 0x86DD && data.Length > 14) data[14] = 0x60;
            }
            var frame = new CapturedFrame
            {
                Namespace = "x", InterfaceAlias = "eth0", TimestampNs = 1, Direction = PacketDirection.In,
                OriginalLength = data.Length, Data = data, LinkType = n % 7 == 0 ? 101 : 1,
            };
            var packet = PacketDecoder.Decode(frame);
            Assert.NotNull(packet.Summary);
        }
    }

    [Fact]
    public void AFileThatIsNotACaptureIsOneInvalidArgumentError()
    {
        string file = Path.Combine(Path.GetTempPath(), Lab.UniqueName() + ".pcapng");
        try
        {
            File.WriteAllText(file, "this is not a capture file");
            var e = Assert.Throws<NetNsException>(() => NetNsCapture.ReadFile(file).ToList());
            Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
            Assert.Contains("neither pcapng nor pcap", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
