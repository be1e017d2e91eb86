using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace NetNs.Core.Tests;

/// <summary>
/// Impairments on the real kernel, between two test namespaces joined by a veth (a0 in A, 198.18.77.1/30; b0 in B,
/// .2): a tbf rate measured by a TCP transfer, loss through nftables measured over 2000 echoes (this kernel has no
/// sch_netem), partitions and heals, and NetemNotAvailable for what only netem can do.
/// </summary>
public class LinkImpairmentTests(ITestOutputHelper output)
{
    private const string AddressA = "198.18.77.1", AddressB = "198.18.77.2";

    private static (string A, string B) Pair(Lab lab)
    {
        string a = lab.Namespace(), b = lab.Namespace();
        Ip.Must("-n", a, "link", "add", "a0", "type", "veth", "peer", "name", "b0", "netns", b);
        Ip.Must("-n", a, "addr", "add", AddressA + "/30", "dev", "a0");
        Ip.Must("-n", b, "addr", "add", AddressB + "/30", "dev", "b0");
        Ip.Must("-n", a, "link", "set", "a0", "up");
        Ip.Must("-n", b, "link", "set", "b0", "up");
        return (a, b);
    }

    [RootFact]
    public void ARateOfTenMegabitsIsWhatATcpTransferMeasures()
    {
        using var lab = new Lab();
        var (a, b) = Pair(lab);
        using var rtnl = NetlinkHandle.Open(NamespaceRef.FromName(a));
        LinkShaper.Set(rtnl, "a0", new LinkImpairmentSpec { RateBitsPerSecond = TcUnits.ParseRate("10mbit") });

        string tc = Lab.Run("ip", "netns", "exec", a, "tc", "qdisc", "show", "dev", "a0").Out;
        Assert.Contains("tbf", tc);
        Assert.Contains("rate 10Mbit", tc);
        var got = LinkShaper.Get(rtnl, "a0");
        Assert.Equal(("tbf", 10_000_000UL, "10mbit"), (got.Qdisc, got.RateBitsPerSecond!.Value, got.Rate));

        double mbit = MeasureTcp(a, b, 3_000_000);
        output.WriteLine($"10mbit tbf: TCP measured {mbit:0.000} Mbit/s ({(mbit / 10 - 1) * 100:+0.0;-0.0} %)");
        Assert.InRange(mbit, 9.0, 11.0);

        LinkShaper.Clear(rtnl, "a0");
        Assert.DoesNotContain("tbf", Lab.Run("ip", "netns", "exec", a, "tc", "qdisc", "show", "dev", "a0").Out);
        Assert.True(LinkShaper.Get(rtnl, "a0").IsEmpty);
    }

    [RootFact]
    public void NfTablesListsTheTablesOfANamespaceAsNftDoes()
    {
        using var lab = new Lab();
        var (a, b) = Pair(lab);
        using var hb = NamespaceHandle.OpenName(b);
        Assert.Empty(NfTables.List(hb, NfTables.Netdev));
        Assert.False(ImpairmentRules.HasTable(hb));
        using var rtnl = NetlinkHandle.Open(NamespaceRef.FromName(a));
        LinkShaper.Set(rtnl, "a0", new LinkImpairmentSpec { Loss = 5 }); // dropped at b0's ingress, in B
        Assert.Equal(["netns"], NfTables.List(hb, NfTables.Netdev));
        Assert.Contains("table netdev netns", Lab.Run("ip", "netns", "exec", b, "nft", "list", "tables").Out);
        Assert.Empty(NfTables.List(hb, NfTables.Inet));
        LinkShaper.Clear(rtnl, "a0");
        Assert.False(ImpairmentRules.HasTable(hb));
    }

    [RootFact]
    public void TenPercentLossIsWhat2000EchoesMeasureAndItFallsBackToNftables()
    {
        using var lab = new Lab();
        var (a, b) = Pair(lab);
        using var rtnl = NetlinkHandle.Open(NamespaceRef.FromName(a));
        Assert.True(Lab.Ping(a, AddressB)); // neighbours learnt before the loss
        LinkShaper.Set(rtnl, "a0", new LinkImpairmentSpec { Loss = 10 });
        var got = LinkShaper.Get(rtnl, "a0");
        Assert.Equal((10.0, "nftables", (string?)null), (got.Loss!.Value, got.LossBy, got.Qdisc));
        Assert.Contains("numgen random mod 10000 < 1000 drop", Lab.Run("ip", "netns", "exec", b, "nft", "list", "table", "netdev", "netns").Out); // on the peer's ingress

        double loss = PingLoss(a, AddressB, 2000);
        output.WriteLine($"10 % loss: {loss:0.00} % of 2000 echoes lost");
        Assert.InRange(loss, 7.0, 13.0);

        LinkShaper.Set(rtnl, "a0", new LinkImpairmentSpec()); // nothing: the rule and the table go
        Assert.Equal("", Lab.Run("ip", "netns", "exec", b, "nft", "list", "ruleset").Out.Trim());
        Assert.Equal(0.0, PingLoss(a, AddressB, 50));
    }

    [RootFact]
    public void APartitionDropsBothWaysAndHealingBringsBackTheRateSetBefore()
    {
        using var lab = new Lab();
        var (a, b) = Pair(lab);
        using var rtnl = NetlinkHandle.Open(NamespaceRef.FromName(a));
        LinkShaper.Set(rtnl, "a0", new LinkImpairmentSpec { RateBitsPerSecond = 20_000_000, Loss = 1 });
        Assert.True(Lab.Ping(a, AddressB));

        LinkShaper.Partition(rtnl, "a0");
        Assert.True(LinkShaper.Get(rtnl, "a0").Partitioned);
        Assert.False(Lab.Ping(a, AddressB));
        Assert.False(Lab.Ping(b, AddressA)); // the other way too

        LinkShaper.Heal(rtnl, "a0");
        var healed = LinkShaper.Get(rtnl, "a0");
        Assert.Equal((false, 20_000_000UL, 1.0), (healed.Partitioned, healed.RateBitsPerSecond!.Value, healed.Loss!.Value));
        Assert.True(Lab.Ping(a, AddressB) || Lab.Ping(a, AddressB)); // 1 % loss: a second try
        LinkShaper.Clear(rtnl, "a0");
        Assert.True(LinkShaper.Get(rtnl, "a0").IsEmpty);
    }

    [RootFact]
    public void DelayWithoutNetemIsNetemNotAvailableAndChangesNothing()
    {
        using var lab = new Lab();
        var (a, _) = Pair(lab);
        using var rtnl = NetlinkHandle.Open(NamespaceRef.FromName(a));
        LinkShaper.Set(rtnl, "a0", new LinkImpairmentSpec { RateBitsPerSecond = 10_000_000, Loss = 2 });
        var before = LinkShaper.Get(rtnl, "a0");

        var e = Assert.Throws<NetNsException>(() => LinkShaper.Set(rtnl, "a0",
            new LinkImpairmentSpec { Delay = TimeSpan.FromMilliseconds(20), Loss = 5 }));
        Assert.Equal(NetNsErrorReason.NetemNotAvailable, e.Reason);
        Assert.Contains("sch_netem", e.Message);

        var after = LinkShaper.Get(rtnl, "a0");
        Assert.Equal((before.Qdisc, before.RateBitsPerSecond, before.Loss), (after.Qdisc, after.RateBitsPerSecond, after.Loss));
    }

    [RootFact]
    public void AMissingLinkIsLinkNotFoundAndBadValuesAreRefusedFirst()
    {
        using var lab = new Lab();
        var (a, _) = Pair(lab);
        using var rtnl = NetlinkHandle.Open(NamespaceRef.FromName(a));
        Assert.Equal(NetNsErrorReason.LinkNotFound, Assert.Throws<NetNsException>(() =>
            LinkShaper.Set(rtnl, "nope0", new LinkImpairmentSpec { RateBitsPerSecond = 1_000_000 })).Reason);
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() =>
            LinkShaper.Set(rtnl, "a0", new LinkImpairmentSpec { Loss = 120 })).Reason);
        Assert.True(LinkShaper.Get(rtnl, "a0").IsEmpty);
    }

    /// <summary>Sends <paramref name="bytes"/> from A to B over TCP; the rate the receiver saw, in Mbit/s (bounded: 20 s).</summary>
    private static double MeasureTcp(string a, string b, int bytes)
    {
        using var nsA = NamespaceRef.FromName(a).Open();
        using var nsB = NamespaceRef.FromName(b).Open();
        using var listener = NamespaceSockets.Open(nsB, AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(AddressB), 0));
        listener.Listen(1);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var receive = Task.Run(async () =>
        {
            using var s = await listener.AcceptAsync(cts.Token);
            var buf = new byte[65536];
            long total = 0, first = 0;
            var sw = new Stopwatch();
            while (true)
            {
                int n = await s.ReceiveAsync(buf, SocketFlags.None, cts.Token);
                if (n == 0)
                    break;
                if (!sw.IsRunning)
                {
                    sw.Start();
                    first = n;
                }
                total += n;
            }
            return (total - first) * 8 / sw.Elapsed.TotalSeconds / 1e6;
        });
        using (var c = NamespaceSockets.Open(nsA, AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            c.Connect(new IPEndPoint(IPAddress.Parse(AddressB), port));
            var data = new byte[bytes];
            int sent = 0;
            while (sent < bytes)
                sent += c.Send(data, sent, Math.Min(65536, bytes - sent), SocketFlags.None);
            c.Shutdown(SocketShutdown.Send);
            Assert.True(receive.Wait(TimeSpan.FromSeconds(20)), "the transfer did not end in 20 s");
        }
        return receive.Result;
    }

    /// <summary>The loss in percent ping reports for <paramref name="count"/> echoes 2 ms apart (as root).</summary>
    private static double PingLoss(string ns, string address, int count)
    {
        var (_, stdout, stderr) = Lab.Run("ip", "netns", "exec", ns, "ping", "-q", "-n", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-i", "0.002", "-W", "1", address);
        var m = Regex.Match(stdout, @"(\d+) packets transmitted, (\d+) received");
        Assert.True(m.Success, stdout + stderr);
        return (1 - double.Parse(m.Groups[2].Value) / double.Parse(m.Groups[1].Value)) * 100;
    }
}
