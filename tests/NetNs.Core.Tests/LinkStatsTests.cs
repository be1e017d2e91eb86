namespace NetNs.Core.Tests;

public sealed class LinkStatsTests
{
    [RootFact]
    public void PacketCountersGrowWithPingsAndAgreeWithIp()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        using var bns = NamespaceHandle.OpenName(b);
        using var ha = NetlinkHandle.Open(NamespaceRef.FromName(a));
        using var hb = NetlinkHandle.Open(bns);
        ha.CreateVeth(new VethSpec { Name = "va", PeerName = "vb", PeerNamespace = bns, Up = true });
        ha.ReplaceAddress("va", IPPrefix.Parse("198.18.11.1/24"));
        hb.ReplaceAddress("vb", IPPrefix.Parse("198.18.11.2/24"));

        var before = ha.GetLink("va");
        for (int i = 0; i < 3; i++)
            Assert.True(Lab.Ping(a, "198.18.11.2"));
        var after = ha.GetLink("va");
        Assert.True(after.TxPackets >= before.TxPackets + 3, $"tx {before.TxPackets} -> {after.TxPackets}");
        Assert.True(after.RxPackets >= before.RxPackets + 3, $"rx {before.RxPackets} -> {after.RxPackets}");
        Assert.True(after.TxBytes > before.TxBytes);

        // iproute2, read just after, shows at least what we read (counters only grow)
        var stats = Ip.Json(a, "-s", "link", "show", "va")[0].GetProperty("stats64");
        Assert.InRange(stats.GetProperty("tx").GetProperty("packets").GetUInt64(), after.TxPackets, after.TxPackets + 10);
        Assert.InRange(stats.GetProperty("rx").GetProperty("bytes").GetUInt64(), after.RxBytes, after.RxBytes + 10_000);
    }
}
