namespace NetNs.Core.Tests;

/// <summary>Failures leave nothing behind, and bad input is refused with a clear error before anything is made.</summary>
public class RollbackTests
{
    private static SortedSet<string> LinksOf(NetlinkHandle h) => new(h.GetLinks().Select(l => l.Name), StringComparer.Ordinal);

    [RootFact]
    public void VethWhosePeerNameIsTakenInTheTargetLeavesNothing()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        using var bNs = NamespaceHandle.OpenName(b);
        using var ha = NetlinkHandle.Open(NamespaceHandle.OpenName(a), ownsNamespace: true);
        using var hb = NetlinkHandle.Open(bNs);
        hb.CreateLink(new LinkSpec { Name = "clash", Kind = LinkKind.Bridge });
        var beforeA = Ip.LinkNames(a);
        var beforeB = Ip.LinkNames(b);

        var e = Assert.Throws<NetNsException>(() =>
            ha.CreateVeth(new VethSpec { Name = "va", PeerName = "clash", PeerNamespace = bNs, Up = true }));
        Assert.Equal(NetNsErrorReason.LinkExists, e.Reason);

        Assert.Equal(beforeA, Ip.LinkNames(a));
        Assert.Equal(beforeB, Ip.LinkNames(b));
        Assert.Equal(beforeA, LinksOf(ha));
        Assert.Equal(beforeB, LinksOf(hb));
        Assert.Equal("bridge", Ip.Links(b)["clash"].Kind()); // the existing link is untouched
    }

    [RootFact]
    public void PeerNameTakenInTheOwnNamespaceLeavesNothing()
    {
        using var lab = new Lab();
        string a = lab.Namespace();
        using var ha = NetlinkHandle.Open(NamespaceHandle.OpenName(a), ownsNamespace: true);
        ha.CreateLink(new LinkSpec { Name = "clash", Kind = LinkKind.Bridge });
        var before = Ip.LinkNames(a);
        Assert.Equal(NetNsErrorReason.LinkExists,
            Assert.Throws<NetNsException>(() => ha.CreateVeth(new VethSpec { Name = "va", PeerName = "clash" })).Reason);
        Assert.Equal(before, Ip.LinkNames(a));
    }

    [RootFact]
    public void LinkThatCannotBeBroughtUpIsDeletedAgain()
    {
        // A macvlan with its parent's MAC is created, but refused at IFF_UP (EADDRINUSE, macvlan_open):
        // CreateLink must roll the half-made link back.
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        h.CreateVeth(new VethSpec { Name = "p0", PeerName = "p1" });
        string parentMac = h.GetLink("p0").MacAddress!;
        var before = Ip.LinkNames(ns);
        var e = Assert.Throws<NetNsException>(() =>
            h.CreateLink(new LinkSpec { Name = "mv0", Kind = LinkKind.Macvlan, Parent = "p0", MacAddress = parentMac, Up = true }));
        Assert.Equal(98, e.Errno); // EADDRINUSE
        Assert.Contains("mv0", e.Message);
        Assert.Equal(before, Ip.LinkNames(ns));
        // the same link without Up is fine: the rollback was about bringing it up
        h.CreateLink(new LinkSpec { Name = "mv0", Kind = LinkKind.Macvlan, Parent = "p0", MacAddress = parentMac });
        Assert.Contains("mv0", Ip.LinkNames(ns));
    }

    [RootFact]
    public void InvalidVethInputIsInvalidArgumentAndCreatesNothing()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        using var bNs = NamespaceHandle.OpenName(b);
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(a), ownsNamespace: true);
        var bad = new (VethSpec Spec, string Why)[]
        {
            (new VethSpec { Name = "", PeerName = "p" }, "empty"),
            (new VethSpec { Name = "v", PeerName = "abcdefghijklmnop" }, "16 bytes"),
            (new VethSpec { Name = "a b", PeerName = "p" }, "' '"),
            (new VethSpec { Name = "v", PeerName = "p:1", PeerNamespace = bNs }, "':'"),
            (new VethSpec { Name = "v", PeerName = "v" }, "same name"),
            (new VethSpec { Name = "v", PeerName = "p", MacAddress = "02:00:5e:10:00" }, "not a MAC"),
            (new VethSpec { Name = "v", PeerName = "p", PeerMacAddress = "03:00:5e:10:00:01", PeerNamespace = bNs }, "multicast"),
            (new VethSpec { Name = "v", PeerName = "p", Mtu = -1 }, "MTU"),
        };
        foreach (var (spec, why) in bad)
        {
            var e = Assert.Throws<NetNsException>(() => h.CreateVeth(spec));
            Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
            Assert.Contains(why, e.Message);
        }
        Assert.Equal(["lo"], Ip.LinkNames(a));
        Assert.Equal(["lo"], Ip.LinkNames(b));
    }

    [RootFact]
    public void AllZeroMacIsInvalidArgumentAndCreatesNothing()
    {
        // The kernel refuses 00:00:00:00:00:00 with EADDRNOTAVAIL; that must not read as "link not found".
        using var lab = new Lab();
        string a = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(a), ownsNamespace: true);
        foreach (var spec in new[]
                 {
                     new VethSpec { Name = "v", PeerName = "p", MacAddress = "00:00:00:00:00:00" },
                     new VethSpec { Name = "v", PeerName = "p", PeerMacAddress = "00:00:00:00:00:00" },
                 })
        {
            var e = Assert.Throws<NetNsException>(() => h.CreateVeth(spec));
            Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        }
        Assert.Equal(["lo"], Ip.LinkNames(a));
    }

    [RootFact]
    public void InvalidAddressInputCreatesNothing()
    {
        using var lab = new Lab();
        string a = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(a), ownsNamespace: true);
        h.CreateVeth(new VethSpec { Name = "v0", PeerName = "v1", Up = true });
        var before = Ip.Addresses(a).Keys.Order().ToList();
        foreach (string cidr in new[] { "198.18.0.1/33", "1.2.3", "fe80::1%v0", "198.18.0.1/" })
        {
            var e = Assert.Throws<NetNsException>(() => h.AddAddress("v0", IPPrefix.Parse(cidr)));
            Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
            Assert.Contains(cidr, e.Message);
        }
        Assert.Equal(NetNsErrorReason.InvalidArgument,
            Assert.Throws<NetNsException>(() => h.SetLink("v0", new LinkChanges { MacAddress = "xx" })).Reason);
        Assert.Equal(before, Ip.Addresses(a).Keys.Order().ToList());
        Assert.NotEqual("xx", h.GetLink("v0").MacAddress);
    }

    [RootTheory]
    [InlineData("/evil")]
    [InlineData("\0")]
    [InlineData("\n")]
    public void InvalidNamespaceNameCreatesNoFile(string suffix)
    {
        string stem = Lab.UniqueName();
        string name = stem + suffix;
        var e = Assert.Throws<NetNsException>(() => NamedNamespaces.Create(name));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Equal("create namespace", e.Operation);
        Assert.False(Path.Exists("/run/netns/" + stem));
        Assert.DoesNotContain(NamedNamespaces.ListNames(), n => n.StartsWith(stem));
    }

    [RootFact]
    public void OverlongOrDotNamespaceNamesCreateNoFile()
    {
        string stem = Lab.UniqueName();
        Assert.Equal(NetNsErrorReason.InvalidArgument,
            Assert.Throws<NetNsException>(() => NamedNamespaces.Create(stem + new string('x', 256))).Reason);
        Assert.DoesNotContain(NamedNamespaces.ListNames(), n => n.StartsWith(stem));
        foreach (string name in new[] { ".", "..", "" })
            Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => NamedNamespaces.Create(name)).Reason);
        Assert.True(Directory.Exists("/run/netns"));
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => NamedNamespaces.Delete("..")).Reason);
        Assert.True(Directory.Exists("/run/netns"));
    }

    [RootFact]
    public void SetLinkThatFailsHalfwayPutsBackWhatItChanged()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceRef.FromName(ns));
        h.CreateVeth(new VethSpec { Name = "va", PeerName = "vb" });
        string mac = h.GetLink("va").MacAddress!;
        // MTU and MAC succeed, then the rename clashes with vb: both must be put back, and va stays down.
        var e = Assert.Throws<NetNsException>(() => h.SetLink("va", new LinkChanges
        {
            Mtu = 9000, MacAddress = "02:00:5e:10:00:01", NewName = "vb", Up = true,
        }));
        Assert.Equal(NetNsErrorReason.LinkExists, e.Reason);
        var va = Ip.Links(ns)["va"];
        Assert.Equal(1500, va.Int("mtu"));
        Assert.Equal(mac, va.Str("address"));
        Assert.DoesNotContain("UP", va.Flags());
    }
}
