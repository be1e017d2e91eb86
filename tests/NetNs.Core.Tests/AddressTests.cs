namespace NetNs.Core.Tests;

/// <summary>Addresses on links in a test namespace, checked against `ip -j addr show` both ways.</summary>
public sealed class AddressTests : IDisposable
{
    private readonly Lab _lab = new();
    private readonly string _ns;
    private readonly NetlinkHandle _h;

    public AddressTests()
    {
        _ns = _lab.Namespace();
        _h = NetlinkHandle.Open(NamespaceHandle.OpenName(_ns), ownsNamespace: true);
        _h.CreateVeth(new VethSpec { Name = "v0", PeerName = "v1", Up = true });
    }

    public void Dispose()
    {
        _h.Dispose();
        _lab.Dispose();
    }

    [RootFact]
    public void AddIsSeenByIpAndRepeatIsAddressExists()
    {
        var a = _h.AddAddress("v0", IPPrefix.Parse("198.18.10.1/24"));
        Assert.Equal(("198.18.10.1", 24, IPAddressFamily.IPv4, "v0", _ns, "global"),
            (a.IPAddress, a.PrefixLength, a.AddressFamily, a.InterfaceAlias, a.Namespace, a.Scope));
        Assert.Contains("permanent", a.Flags);
        Assert.Equal(_h.GetLinkIndex("v0"), a.InterfaceIndex);
        var ip = Ip.Addresses(_ns, "v0");
        Assert.True(ip.ContainsKey("198.18.10.1/24"));
        Assert.Equal("global", ip["198.18.10.1/24"].Str("scope"));

        var e = Assert.Throws<NetNsException>(() => _h.AddAddress("v0", IPPrefix.Parse("198.18.10.1/24")));
        Assert.Equal(NetNsErrorReason.AddressExists, e.Reason);
        Assert.Contains("198.18.10.1/24", e.Message);
        Assert.Single(Ip.Addresses(_ns, "v0").Keys, k => k == "198.18.10.1/24");
    }

    [RootFact]
    public void ReplaceIsIdempotent()
    {
        var p = IPPrefix.Parse("198.18.11.1/24");
        _h.ReplaceAddress("v0", p);
        var again = _h.ReplaceAddress("v0", p);
        Assert.Equal("198.18.11.1", again.IPAddress);
        Assert.Single(_h.GetAddresses("v0", IPAddressFamily.IPv4), x => x.IPAddress == "198.18.11.1");
        Assert.Single(Ip.Addresses(_ns, "v0").Keys, k => k.StartsWith("198.18.11.1/"));
        // replacing an address that was added by ip works too
        Ip.Must("-n", _ns, "addr", "add", "198.18.12.1/24", "dev", "v0");
        _h.ReplaceAddress("v0", IPPrefix.Parse("198.18.12.1/24"));
        Assert.Single(Ip.Addresses(_ns, "v0").Keys, k => k.StartsWith("198.18.12.1/"));
    }

    [RootFact]
    public void DeleteRemovesItAndRepeatIsAddressNotFound()
    {
        var p = IPPrefix.Parse("198.18.13.1/24");
        _h.AddAddress("v0", p);
        _h.DeleteAddress("v0", p);
        Assert.False(Ip.Addresses(_ns, "v0").ContainsKey("198.18.13.1/24"));
        Assert.DoesNotContain(_h.GetAddresses(), a => a.IPAddress == "198.18.13.1");
        var e = Assert.Throws<NetNsException>(() => _h.DeleteAddress("v0", p));
        Assert.Equal(NetNsErrorReason.AddressNotFound, e.Reason);
        Assert.Contains($"in namespace '{_ns}'", e.Message);
        // removing one made by ip
        Ip.Must("-n", _ns, "addr", "add", "198.18.14.1/24", "dev", "v0");
        _h.DeleteAddress("v0", IPPrefix.Parse("198.18.14.1/24"));
        Assert.False(Ip.Addresses(_ns, "v0").ContainsKey("198.18.14.1/24"));
    }

    [RootFact]
    public void GetAddressesFiltersByLinkAndFamilyAndSeesIpMadeOnes()
    {
        Ip.Must("-n", _ns, "addr", "add", "198.18.15.1/24", "dev", "v0");
        Ip.Must("-n", _ns, "addr", "add", "198.18.16.1/25", "dev", "v1");
        Ip.Must("-n", _ns, "addr", "add", "2001:db8:15::1/64", "dev", "v0", "nodad");
        var v0 = _h.GetAddresses("v0");
        Assert.Contains(v0, a => a.ToString() == "198.18.15.1/24");
        Assert.Contains(v0, a => a.ToString() == "2001:db8:15::1/64");
        Assert.All(v0, a => Assert.Equal("v0", a.InterfaceAlias));
        Assert.DoesNotContain(v0, a => a.IPAddress == "198.18.16.1");

        var v0v4 = _h.GetAddresses("v0", IPAddressFamily.IPv4);
        Assert.Equal(["198.18.15.1/24"], v0v4.Select(a => a.ToString()));
        var v6 = _h.GetAddresses(family: IPAddressFamily.IPv6);
        Assert.All(v6, a => Assert.Equal(IPAddressFamily.IPv6, a.AddressFamily));
        Assert.Contains(v6, a => a.ToString() == "2001:db8:15::1/64");
        Assert.Contains(_h.GetAddresses(), a => a.ToString() == "198.18.16.1/25" && a.InterfaceAlias == "v1");

        // the whole namespace agrees with ip, address by address
        var ours = _h.GetAddresses().Select(a => a.ToString()).Order().ToList();
        var theirs = Ip.Addresses(_ns).Keys.Order().ToList();
        Assert.Equal(theirs, ours);
    }

    [RootFact]
    public void Ipv6WithoutDadIsFlaggedNodadAndUsableAtOnce()
    {
        var a = _h.AddAddress("v0", IPPrefix.Parse("2001:db8:20::1/64"), new AddressOptions { SkipDuplicateAddressDetection = true });
        Assert.Contains("nodad", a.Flags);
        Assert.DoesNotContain("tentative", a.Flags);
        var ip = Ip.Addresses(_ns, "v0")["2001:db8:20::1/64"];
        Assert.True(ip.GetProperty("nodad").GetBoolean());
        Assert.False(ip.TryGetProperty("tentative", out _));
        Assert.Equal("inet6", ip.Str("family"));
    }

    [RootFact]
    public void NoPrefixRouteLeavesTheRouteOut()
    {
        _h.AddAddress("v0", IPPrefix.Parse("198.18.21.1/24"), new AddressOptions { NoPrefixRoute = true });
        Assert.Contains("noprefixroute", _h.GetAddresses("v0").Single(a => a.IPAddress == "198.18.21.1").Flags);
        Assert.DoesNotContain(Ip.Routes(_ns), r => r.Str("dst") == "198.18.21.0/24");
        _h.AddAddress("v0", IPPrefix.Parse("198.18.22.1/24"));
        Assert.Contains(Ip.Routes(_ns), r => r.Str("dst") == "198.18.22.0/24");
    }

    [RootFact]
    public void LoopbackAddressGetsHostScope()
    {
        _h.SetLinkState("lo", true);
        var lo = _h.GetAddresses("lo");
        Assert.Contains(lo, a => a.ToString() == "127.0.0.1/8" && a.Scope == "host");
        Assert.Equal("host", Ip.Addresses(_ns, "lo")["127.0.0.1/8"].Str("scope"));
    }

    [RootFact]
    public void AddressOnAMissingLinkIsLinkNotFound()
    {
        var e = Assert.Throws<NetNsException>(() => _h.AddAddress("ghost", IPPrefix.Parse("198.18.23.1/24")));
        Assert.Equal(NetNsErrorReason.LinkNotFound, e.Reason);
        Assert.Equal(NetNsErrorReason.LinkNotFound,
            Assert.Throws<NetNsException>(() => _h.DeleteAddress("ghost", IPPrefix.Parse("198.18.23.1/24"))).Reason);
        Assert.DoesNotContain(Ip.Addresses(_ns).Keys, k => k.StartsWith("198.18.23."));
    }
}
