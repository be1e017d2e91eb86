namespace NetNs.Core.Tests;

public class SmokeTests
{
    [RootFact]
    public void TwoNamespacesOnAVethPairPingEachOther()
    {
        using var lab = new Lab();
        string red = lab.Namespace(), blue = lab.Namespace();
        using var redNs = NamespaceHandle.OpenName(red);
        using var blueNs = NamespaceHandle.OpenName(blue);
        using var r = NetlinkHandle.Open(redNs);
        using var b = NetlinkHandle.Open(blueNs);
        var pair = r.CreateVeth(new VethSpec { Name = "veth-r", PeerName = "veth-b", PeerNamespace = blueNs, Up = true });
        Assert.Equal(blue, pair.PeerNamespace);
        r.ReplaceAddress("veth-r", IPPrefix.Parse("198.18.0.1/24"));
        b.ReplaceAddress("veth-b", IPPrefix.Parse("198.18.0.2/24"));
        var link = r.GetLink("veth-r");
        Assert.Equal("veth-b", link.PeerName);
        Assert.Equal(blue, link.PeerNamespace);
        Assert.True(Lab.Ping(red, "198.18.0.2"));
    }
}
