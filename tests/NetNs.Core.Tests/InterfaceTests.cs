using System.Net;

namespace NetNs.Core.Tests;

/// <summary>NetlinkHandle.SetInterfaceAddresses: addresses plus default gateway, all or nothing.</summary>
public sealed class InterfaceTests
{
    private static (Lab Lab, string Ns, NetlinkHandle H) Setup()
    {
        var lab = new Lab();
        string ns = lab.Namespace();
        var h = NetlinkHandle.Open(NamespaceRef.FromName(ns));
        h.CreateVeth(new VethSpec { Name = "va", PeerName = "vb", Up = true });
        return (lab, ns, h);
    }

    [RootFact]
    public void AddressesAndDefaultGatewayAreSetTogether()
    {
        var (lab, ns, h) = Setup();
        using (lab)
        using (h)
        {
            var set = h.SetInterfaceAddresses("va", [IPPrefix.Parse("198.18.7.2/24"), IPPrefix.Parse("2001:db8:7::2/64")],
                IPAddress.Parse("198.18.7.1"), new AddressOptions { SkipDuplicateAddressDetection = true });
            Assert.Equal(["198.18.7.2/24", "2001:db8:7::2/64"], set.Select(a => a.ToString()).ToArray());
            Assert.Contains("198.18.7.2/24", Ip.Addresses(ns, "va").Keys);
            var def = Assert.Single(Ip.Routes(ns), r => r.Str("dst") == "default");
            Assert.Equal("198.18.7.1", def.Str("gateway"));
            Assert.Equal("va", def.Str("dev"));
        }
    }

    [RootFact]
    public void UnreachableGatewayRemovesOnlyTheAddressesThisCallAdded()
    {
        var (lab, ns, h) = Setup();
        using (lab)
        using (h)
        {
            h.ReplaceAddress("va", IPPrefix.Parse("198.18.7.2/24"));
            var e = Assert.Throws<NetNsException>(() => h.SetInterfaceAddresses("va",
                [IPPrefix.Parse("198.18.7.2/24"), IPPrefix.Parse("198.18.8.2/24")], IPAddress.Parse("198.19.9.9")));
            Assert.Equal(NetNsErrorReason.NetworkUnreachable, e.Reason);
            var now = Ip.Addresses(ns, "va").Keys;
            Assert.Contains("198.18.7.2/24", now);     // was there before: kept
            Assert.DoesNotContain("198.18.8.2/24", now); // added by the failed call: removed
            Assert.DoesNotContain(Ip.Routes(ns), r => r.Str("dst") == "default");
        }
    }
}
