namespace NetNs.Core.Tests;

/// <summary>Changing links (state, MTU, MAC, name, namespace) and bridge ports, checked with `ip`.</summary>
public class LinkChangeTests
{
    [RootFact]
    public void SetLinkStateUpAndDown()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        h.CreateVeth(new VethSpec { Name = "v0", PeerName = "v1" });
        h.SetLinkState("v0", true);
        Assert.Contains("UP", Ip.Links(ns)["v0"].Flags());
        Assert.DoesNotContain("UP", Ip.Links(ns)["v1"].Flags());
        Assert.Equal(LinkState.Up, h.GetLink("v0").State);
        h.SetLinkState("v1", true);
        Assert.Equal("UP", h.GetLink("v0").OperationalState); // carrier once both ends are up
        Assert.Contains("LOWER_UP", h.GetLink("v0").Flags);
        h.SetLinkState("v0", false);
        Assert.DoesNotContain("UP", Ip.Links(ns)["v0"].Flags());
        Assert.Equal(LinkState.Down, h.GetLink("v0").State);
        h.SetLinkState("lo", true);
        Assert.Contains("UP", Ip.Links(ns)["lo"].Flags());
    }

    [RootFact]
    public void SetLinkAppliesMtuAndMac()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        h.CreateVeth(new VethSpec { Name = "v0", PeerName = "v1" });
        var l = h.SetLink("v0", new LinkChanges { Mtu = 9000, MacAddress = "02:00:5e:aa:bb:cc", Up = true });
        Assert.Equal((9000, "02:00:5e:aa:bb:cc", LinkState.Up), (l.Mtu, l.MacAddress, l.State));
        var ip = Ip.Links(ns)["v0"];
        Assert.Equal((9000, "02:00:5e:aa:bb:cc"), (ip.Int("mtu"), ip.Str("address")));
        Assert.Contains("UP", ip.Flags());
        Assert.Equal(1500, Ip.Links(ns)["v1"].Int("mtu")); // the peer keeps its own
    }

    [RootFact]
    public void RenameWhileUpKeepsItUp()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        h.CreateVeth(new VethSpec { Name = "v0", PeerName = "v1", Up = true });
        int index = h.GetLinkIndex("v0");
        var l = h.SetLink("v0", new LinkChanges { NewName = "renamed0" });
        Assert.Equal(("renamed0", index, LinkState.Up), (l.Name, l.InterfaceIndex, l.State));
        var ip = Ip.Links(ns);
        Assert.False(ip.ContainsKey("v0"));
        Assert.Equal(index, ip["renamed0"].Int("ifindex"));
        Assert.Contains("UP", ip["renamed0"].Flags());
        Assert.Equal("renamed0", h.GetLink("v1").PeerName);
    }

    [RootFact]
    public void RenameOntoAnExistingNameIsLinkExists()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        h.CreateVeth(new VethSpec { Name = "v0", PeerName = "v1" });
        var e = Assert.Throws<NetNsException>(() => h.SetLink("v0", new LinkChanges { NewName = "v1" }));
        Assert.Equal(NetNsErrorReason.LinkExists, e.Reason);
        Assert.Equal(NetNsErrorReason.InvalidArgument,
            Assert.Throws<NetNsException>(() => h.SetLink("v0", new LinkChanges { NewName = "no/slash" })).Reason);
        Assert.Equal(["lo", "v0", "v1"], Ip.LinkNames(ns));
    }

    [RootTheory]
    [InlineData(null)]
    [InlineData("moved0")]
    public void MoveToAnotherNamespace(string? newName)
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        using var bNs = NamespaceHandle.OpenName(b);
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(a), ownsNamespace: true);
        h.CreateVeth(new VethSpec { Name = "v0", PeerName = "v1" });
        var moved = h.SetLink("v0", new LinkChanges { Namespace = bNs, NewName = newName, Mtu = 1280 });
        string expected = newName ?? "v0";
        Assert.Equal((expected, b, 1280), (moved.Name, moved.Namespace, moved.Mtu));
        Assert.Equal(["lo", "v1"], Ip.LinkNames(a));
        Assert.Equal(new SortedSet<string>(["lo", expected], StringComparer.Ordinal), Ip.LinkNames(b));
        Assert.Equal(1280, Ip.Links(b)[expected].Int("mtu"));
        // the veth still knows its peer across the move
        var v1 = h.GetLink("v1");
        Assert.Equal((expected, b), (v1.PeerName, v1.PeerNamespace));
        Assert.Equal(NetNsErrorReason.LinkNotFound, Assert.Throws<NetNsException>(() => h.GetLink("v0")).Reason);
    }

    [RootFact]
    public void MoveIntoANamespaceWithTheSameNameIsLinkExistsAndStays()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        using var bNs = NamespaceHandle.OpenName(b);
        Ip.Must("-n", b, "link", "add", "v0", "type", "bridge");
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(a), ownsNamespace: true);
        h.CreateVeth(new VethSpec { Name = "v0", PeerName = "v1" });
        var e = Assert.Throws<NetNsException>(() => h.SetLink("v0", new LinkChanges { Namespace = bNs }));
        Assert.Equal(NetNsErrorReason.LinkExists, e.Reason);
        Assert.Equal(["lo", "v0", "v1"], Ip.LinkNames(a));
        Assert.Equal("bridge", Ip.Links(b)["v0"].Kind());
    }

    [RootFact]
    public void BridgePortsAddListRemove()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        h.CreateLink(new LinkSpec { Name = "br0", Kind = LinkKind.Bridge });
        h.CreateLink(new LinkSpec { Name = "br1", Kind = LinkKind.Bridge });
        h.CreateVeth(new VethSpec { Name = "p0", PeerName = "p1" });
        h.CreateVeth(new VethSpec { Name = "q0", PeerName = "q1" });

        var port = h.AddBridgePort("br0", "p0");
        Assert.Equal(("br0", "p0", ns), (port.Bridge, port.Name, port.Namespace));
        h.SetMaster("q0", "br0");
        Ip.Must("-n", ns, "link", "set", "p1", "master", "br1"); // made by ip, seen by us

        Assert.Equal(["p0", "q0"], h.GetBridgePorts("br0").Select(p => p.Name).Order());
        Assert.Equal(["p1"], h.GetBridgePorts("br1").Select(p => p.Name));
        Assert.Equal(3, h.GetBridgePorts().Count);
        Assert.Equal(["p0", "q0"], Ip.Json(ns, "link", "show", "master", "br0").Select(e => e.Str("ifname")!).Order());
        Assert.Equal("br0", h.GetLink("p0").Master);
        Assert.Equal(h.GetLinkIndex("br0"), h.GetLink("p0").MasterIndex);

        h.RemoveBridgePort("p0", "br0");
        h.SetMaster("q0", null);
        Assert.Empty(h.GetBridgePorts("br0"));
        Assert.Empty(Ip.Json(ns, "link", "show", "master", "br0"));
        Assert.Null(Ip.Links(ns)["p0"].Str("master"));
        Assert.Null(h.GetLink("p0").Master);
    }

    [RootFact]
    public void BridgePortMistakesAreReported()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
        h.CreateLink(new LinkSpec { Name = "br0", Kind = LinkKind.Bridge });
        h.CreateLink(new LinkSpec { Name = "br1", Kind = LinkKind.Bridge });
        h.CreateVeth(new VethSpec { Name = "p0", PeerName = "p1" });
        h.AddBridgePort("br1", "p0");

        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => h.AddBridgePort("p1", "p0")).Reason);
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => h.GetBridgePorts("p1")).Reason);
        Assert.Equal(NetNsErrorReason.LinkNotFound, Assert.Throws<NetNsException>(() => h.GetBridgePorts("ghost")).Reason);
        Assert.Equal(NetNsErrorReason.LinkNotFound, Assert.Throws<NetNsException>(() => h.AddBridgePort("ghost", "p0")).Reason);
        Assert.Equal(NetNsErrorReason.LinkNotFound, Assert.Throws<NetNsException>(() => h.AddBridgePort("br0", "ghost")).Reason);
        var notPort = Assert.Throws<NetNsException>(() => h.RemoveBridgePort("p1"));
        Assert.Equal(NetNsErrorReason.LinkNotFound, notPort.Reason);
        Assert.Contains("not a bridge port", notPort.Message);
        var wrongBridge = Assert.Throws<NetNsException>(() => h.RemoveBridgePort("p0", "br0"));
        Assert.Equal(NetNsErrorReason.LinkNotFound, wrongBridge.Reason);
        Assert.Equal("br1", Ip.Links(ns)["p0"].Str("master")); // still where it was
    }

    [RootFact]
    public void AnAliasIsSetReadBackAndCleared()
    {
        using var lab = new Lab();
        string name = lab.Namespace();
        using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(name), ownsNamespace: true);
        h.CreateLink(new LinkSpec { Name = "br0", Kind = LinkKind.Bridge });
        Assert.Null(h.GetLink("br0").Alias);
        h.SetLinkAlias("br0", "netns:network subnet=198.18.0.0/24");
        Assert.Equal("netns:network subnet=198.18.0.0/24", h.GetLink("br0").Alias);
        Assert.Contains("alias netns:network subnet=198.18.0.0/24", Lab.Run("ip", "-n", name, "link", "show", "br0").Out);
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => h.SetLinkAlias("br0", new string('a', 256))).Reason);
        h.SetLinkAlias("br0", null);
        Assert.Null(h.GetLink("br0").Alias);
    }
}
