namespace NetNs.Core.Tests;

/// <summary>Creating links inside test namespaces, checked against `ip -d link show` both ways.</summary>
public class LinkTests
{
    [RootFact]
    public void VethWithBothEndsInOneNamespace()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        var pair = h.CreateVeth(new VethSpec { Name = "v0", PeerName = "v1" });
        Assert.Equal(ns, pair.Namespace);
        Assert.Equal(ns, pair.PeerNamespace);
        Assert.Equal(LinkState.Down, pair.State);

        var ip = Ip.Links(ns);
        Assert.Equal("veth", ip["v0"].Kind());
        Assert.Equal("veth", ip["v1"].Kind());
        Assert.Equal("v1", ip["v0"].Str("link"));
        Assert.Equal(ip["v0"].Int("ifindex"), pair.InterfaceIndex);
        Assert.Equal(ip["v1"].Int("ifindex"), pair.PeerIfIndex);

        var links = h.GetLinks().ToDictionary(l => l.Name);
        Assert.Equal("v1", links["v0"].PeerName);
        Assert.Equal("v0", links["v1"].PeerName);
        Assert.Equal(links["v1"].InterfaceIndex, links["v0"].PeerIfIndex);
        Assert.Equal(ns, links["v0"].PeerNamespace);
        Assert.Null(links["v0"].PeerNamespaceId);
        Assert.Equal("loopback", links["lo"].Kind);
        Assert.Null(links["lo"].PeerName);
    }

    [RootFact]
    public void VethWithPeerInAnotherNamespaceAppliesMtuAndMacs()
    {
        using var lab = new Lab();
        string red = lab.Namespace(), blue = lab.Namespace();
        using var blueNs = NamespaceHandle.OpenName(blue);
        using var r = NetlinkHandle.Open(NamespaceHandle.OpenName(red), ownsNamespace: true);
        using var b = NetlinkHandle.Open(blueNs);
        var pair = r.CreateVeth(new VethSpec
        {
            Name = "veth-r", PeerName = "veth-b", PeerNamespace = blueNs, Mtu = 1400,
            MacAddress = "02:00:5E:10:00:01", PeerMacAddress = "02:00:5e:10:00:02", Up = true,
        });
        Assert.Equal((blue, 1400, "02:00:5e:10:00:01", "02:00:5e:10:00:02", LinkState.Up),
            (pair.PeerNamespace, pair.Mtu, pair.MacAddress, pair.PeerMacAddress, pair.State));

        var ipR = Ip.Links(red)["veth-r"];
        var ipB = Ip.Links(blue)["veth-b"];
        Assert.Equal((1400, "02:00:5e:10:00:01"), (ipR.Int("mtu"), ipR.Str("address")));
        Assert.Equal((1400, "02:00:5e:10:00:02"), (ipB.Int("mtu"), ipB.Str("address")));
        Assert.Contains("UP", ipR.Flags());
        Assert.Contains("UP", ipB.Flags());
        Assert.False(Ip.Links(red).ContainsKey("veth-b"));
        Assert.False(Ip.Links(blue).ContainsKey("veth-r"));
        Assert.Equal(ipB.Int("ifindex"), pair.PeerIfIndex);

        var rl = r.GetLink("veth-r");
        Assert.Equal(("veth-b", blue, ipB.Int("ifindex")), (rl.PeerName, rl.PeerNamespace, rl.PeerIfIndex));
        Assert.NotNull(rl.PeerNamespaceId);
        var bl = b.GetLink("veth-b");
        Assert.Equal(("veth-r", red, ipR.Int("ifindex")), (bl.PeerName, bl.PeerNamespace, bl.PeerIfIndex));
        Assert.Equal((1400, "02:00:5e:10:00:02", LinkState.Up), (bl.Mtu, bl.MacAddress, bl.State));
    }

    [RootFact]
    public void APeerNamespaceKeptFromAnEarlierLookupIsCheckedAgainAndFollowsARename()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        Ip.Must("-n", a, "link", "add", "ka", "type", "veth", "peer", "name", "kb", "netns", b);
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(a), ownsNamespace: true);
        Assert.Equal(("kb", b), (h.GetLink("ka").PeerName, h.GetLink("ka").PeerNamespace)); // the first lookup, then the kept answer

        // The same namespace under another name (the old one dropped): the kept name no longer holds, so it is looked up again.
        string c = lab.Track(Lab.UniqueName());
        NamedNamespaces.AttachFile(c, NamedNamespaces.PathOf(b));
        NamedNamespaces.Delete(b);
        Assert.Equal(("kb", c), (h.GetLink("ka").PeerName, h.GetLink("ka").PeerNamespace));
        Assert.Equal(c, Assert.Single(h.GetLinks(), l => l.Name == "ka").PeerNamespace);
    }

    [RootFact]
    public void VethMadeByIpIsResolved()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        Ip.Must("-n", a, "link", "add", "ea", "mtu", "1300", "type", "veth", "peer", "name", "eb", "netns", b);
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(a), ownsNamespace: true);
        var l = h.GetLink("ea");
        Assert.Equal(("veth", "eb", b, 1300), (l.Kind, l.PeerName, l.PeerNamespace, l.Mtu));
        Assert.Equal(Ip.Links(b)["eb"].Int("ifindex"), l.PeerIfIndex);
        Assert.Equal(l.InterfaceIndex, h.GetLinkIndex("ea"));
        Assert.Equal(l.Name, h.GetLink(l.InterfaceIndex).Name);
        Assert.Equal("ea", h.FindLink("ea")?.Name);
        Assert.Null(h.FindLink("nope"));
    }

    [RootFact]
    public void BridgeIsCreatedUp()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        var br = h.CreateLink(new LinkSpec { Name = "br0", Kind = LinkKind.Bridge, Up = true, Mtu = 1450, MacAddress = "02:00:5e:00:00:aa" });
        Assert.Equal(("bridge", LinkState.Up, 1450, "02:00:5e:00:00:aa", ns), (br.Kind, br.State, br.Mtu, br.MacAddress, br.Namespace));
        var ip = Ip.Links(ns)["br0"];
        Assert.Equal(("bridge", 1450, "02:00:5e:00:00:aa"), (ip.Kind(), ip.Int("mtu"), ip.Str("address")));
        Assert.Contains("UP", ip.Flags());
    }

    [RootFact]
    public void DummyIsCreatedOrReportedUnsupported()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        var before = Ip.LinkNames(ns);
        if (Ip.HasDummy)
        {
            var d = h.CreateLink(new LinkSpec { Name = "d0", Kind = LinkKind.Dummy });
            Assert.Equal("dummy", d.Kind);
            Assert.Equal("dummy", Ip.Links(ns)["d0"].Kind());
        }
        else
        {
            var e = Assert.Throws<NetNsException>(() => h.CreateLink(new LinkSpec { Name = "d0", Kind = LinkKind.Dummy }));
            Assert.Equal(NetNsErrorReason.NotSupported, e.Reason);
            Assert.Equal(before, Ip.LinkNames(ns));
        }
    }

    [RootFact]
    public void VlanOnAParentHasItsId()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        h.CreateVeth(new VethSpec { Name = "p0", PeerName = "p1" }); // dummy may be missing; a veth end is a parent too
        var before = Ip.LinkNames(ns);
        var spec = new LinkSpec { Name = "p0.42", Kind = LinkKind.Vlan, Parent = "p0", VlanId = 42 };
        if (Ip.HasVlan)
        {
            var v = h.CreateLink(spec);
            Assert.Equal(("vlan", "p0", (int?)42), (v.Kind, v.Parent, v.VlanId));
            var ip = Ip.Links(ns)["p0.42"];
            Assert.Equal("p0", ip.Str("link"));
            Assert.Equal(42, ip.GetProperty("linkinfo").GetProperty("info_data").GetProperty("id").GetInt32());
        }
        else
        {
            Assert.Equal(NetNsErrorReason.NotSupported, Assert.Throws<NetNsException>(() => h.CreateLink(spec)).Reason);
            Assert.Equal(before, Ip.LinkNames(ns));
        }
    }

    [RootFact]
    public void MacvlanOnAParent()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        h.CreateVeth(new VethSpec { Name = "p0", PeerName = "p1" });
        var m = h.CreateLink(new LinkSpec { Name = "mv0", Kind = LinkKind.Macvlan, Parent = "p0" });
        Assert.Equal(("macvlan", "p0"), (m.Kind, m.Parent));
        var ip = Ip.Links(ns)["mv0"];
        Assert.Equal(("macvlan", "p0"), (ip.Kind(), ip.Str("link")));
        Assert.Equal("bridge", ip.GetProperty("linkinfo").GetProperty("info_data").Str("mode"));
    }

    [RootFact]
    public void BadLinkSpecsAreRefusedAndCreateNothing()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        h.CreateVeth(new VethSpec { Name = "p0", PeerName = "p1" });
        var before = Ip.LinkNames(ns);

        NetNsErrorReason Fails(LinkSpec s) => Assert.Throws<NetNsException>(() => h.CreateLink(s)).Reason;
        Assert.Equal(NetNsErrorReason.InvalidArgument, Fails(new LinkSpec { Name = "mv0", Kind = LinkKind.Macvlan }));
        Assert.Equal(NetNsErrorReason.InvalidArgument, Fails(new LinkSpec { Name = "v", Kind = LinkKind.Vlan, Parent = "p0" }));
        Assert.Equal(NetNsErrorReason.InvalidArgument, Fails(new LinkSpec { Name = "v", Kind = LinkKind.Vlan, Parent = "p0", VlanId = 0 }));
        Assert.Equal(NetNsErrorReason.InvalidArgument, Fails(new LinkSpec { Name = "v", Kind = LinkKind.Vlan, Parent = "p0", VlanId = 4095 }));
        Assert.Equal(NetNsErrorReason.InvalidArgument, Fails(new LinkSpec { Name = "br0", Kind = LinkKind.Bridge, Mtu = 0 }));
        Assert.Equal(NetNsErrorReason.InvalidArgument, Fails(new LinkSpec { Name = "br0", Kind = LinkKind.Bridge, Mtu = 70000 }));
        Assert.Equal(NetNsErrorReason.InvalidArgument, Fails(new LinkSpec { Name = "br0", Kind = LinkKind.Bridge, MacAddress = "01:00:5e:00:00:01" }));
        Assert.Equal(NetNsErrorReason.InvalidArgument, Fails(new LinkSpec { Name = "bad name", Kind = LinkKind.Bridge }));
        Assert.Equal(NetNsErrorReason.InvalidArgument, Fails(new LinkSpec { Name = "abcdefghijklmnop", Kind = LinkKind.Bridge }));
        var missing = Assert.Throws<NetNsException>(() => h.CreateLink(new LinkSpec { Name = "mv0", Kind = LinkKind.Macvlan, Parent = "nope" }));
        Assert.Equal(NetNsErrorReason.LinkNotFound, missing.Reason);
        Assert.Contains($"'nope' not found in namespace '{ns}'", missing.Message);
        // the kernel's own limit: a bridge MTU below 68
        Assert.Equal(NetNsErrorReason.InvalidArgument, Fails(new LinkSpec { Name = "br0", Kind = LinkKind.Bridge, Mtu = 67 }));
        Assert.Equal(before, Ip.LinkNames(ns));
    }

    [RootFact]
    public void ExistingNameIsLinkExists()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        h.CreateLink(new LinkSpec { Name = "br0", Kind = LinkKind.Bridge });
        var e = Assert.Throws<NetNsException>(() => h.CreateLink(new LinkSpec { Name = "br0", Kind = LinkKind.Bridge }));
        Assert.Equal(NetNsErrorReason.LinkExists, e.Reason);
        Assert.StartsWith($"link 'br0' already exists in namespace '{ns}'", e.Message);
        var v = Assert.Throws<NetNsException>(() => h.CreateVeth(new VethSpec { Name = "br0", PeerName = "x1" }));
        Assert.Equal(NetNsErrorReason.LinkExists, v.Reason);
        Assert.Equal(["br0", "lo"], Ip.LinkNames(ns));
    }

    [RootFact]
    public void MissingLinkIsLinkNotFoundNamingTheNamespace()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        foreach (var act in new Action[] { () => h.GetLink("ghost"), () => h.DeleteLink("ghost"), () => h.SetLinkState("ghost", true),
                     () => h.GetAddresses("ghost"), () => h.SetLink("ghost", new LinkChanges { Mtu = 1400 }), () => h.GetLink(9999) })
        {
            var e = Assert.Throws<NetNsException>(act);
            Assert.Equal(NetNsErrorReason.LinkNotFound, e.Reason);
            Assert.Contains($"not found in namespace '{ns}'", e.Message);
        }
    }

    [RootFact]
    public void DeleteLinkRemovesItAndAVethTakesItsPeer()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        using var bNs = NamespaceHandle.OpenName(b);
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(a), ownsNamespace: true);
        h.CreateVeth(new VethSpec { Name = "va", PeerName = "vb", PeerNamespace = bNs });
        h.CreateLink(new LinkSpec { Name = "br0", Kind = LinkKind.Bridge });
        Ip.Must("-n", a, "link", "add", "br1", "type", "bridge");
        h.DeleteLink("br0");
        h.DeleteLink("br1");
        h.DeleteLink("va");
        Assert.Equal(["lo"], Ip.LinkNames(a));
        Assert.Equal(["lo"], Ip.LinkNames(b));
        Assert.Equal(NetNsErrorReason.LinkNotFound, Assert.Throws<NetNsException>(() => h.DeleteLink("va")).Reason);
    }
}
