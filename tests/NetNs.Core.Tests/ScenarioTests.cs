namespace NetNs.Core.Tests;

/// <summary>Small networks built only with NetNs.Core, proven by ping.</summary>
public class ScenarioTests
{
    [RootFact]
    public void VethPairPingsOverIpv6WithoutDad()
    {
        using var lab = new Lab();
        string red = lab.Namespace(), blue = lab.Namespace();
        using var blueNs = NamespaceHandle.OpenName(blue);
        using var r = NetlinkHandle.Open(NamespaceHandle.OpenName(red), ownsNamespace: true);
        using var b = NetlinkHandle.Open(blueNs);
        r.CreateVeth(new VethSpec { Name = "eth0", PeerName = "eth0", PeerNamespace = blueNs, Up = true });
        var nodad = new AddressOptions { SkipDuplicateAddressDetection = true };
        r.AddAddress("eth0", IPPrefix.Parse("2001:db8:1::1/64"), nodad);
        b.AddAddress("eth0", IPPrefix.Parse("2001:db8:1::2/64"), nodad);
        Assert.True(Lab.Ping(red, "2001:db8:1::2"));
        Assert.True(Lab.Ping(blue, "2001:db8:1::1"));
    }

    [RootFact]
    public void ThreeNamespacesOnABridgeReachEachOtherAndTheBridge()
    {
        using var lab = new Lab();
        string sw = lab.Namespace();
        using var swNs = NamespaceHandle.OpenName(sw);
        using var s = NetlinkHandle.Open(swNs);
        s.CreateLink(new LinkSpec { Name = "br0", Kind = LinkKind.Bridge, Up = true });
        s.AddAddress("br0", IPPrefix.Parse("198.18.40.254/24"));

        var hosts = new List<string>();
        for (int i = 1; i <= 3; i++)
        {
            string host = lab.Namespace();
            hosts.Add(host);
            using var hostNs = NamespaceHandle.OpenName(host);
            // the switch-side end is created in the bridge namespace, the host end lands as eth0 in the host
            s.CreateVeth(new VethSpec { Name = $"port{i}", PeerName = "eth0", PeerNamespace = hostNs, Up = true });
            s.AddBridgePort("br0", $"port{i}");
            using var h = NetlinkHandle.Open(hostNs);
            h.AddAddress("eth0", IPPrefix.Parse($"198.18.40.{i}/24"));
        }
        Assert.Equal(["port1", "port2", "port3"], s.GetBridgePorts("br0").Select(p => p.Name).Order());

        for (int i = 0; i < 3; i++)
        {
            Assert.True(Lab.Ping(hosts[i], "198.18.40.254"), $"host {i + 1} cannot reach the bridge");
            for (int j = 0; j < 3; j++)
            {
                if (i != j)
                    Assert.True(Lab.Ping(hosts[i], $"198.18.40.{j + 1}"), $"host {i + 1} cannot reach host {j + 1}");
            }
        }
        Assert.True(Lab.Ping(sw, "198.18.40.3"));
    }

    [RootFact]
    public void RouterNamespaceForwardsBetweenTwoSubnets()
    {
        using var lab = new Lab();
        string left = lab.Namespace(), router = lab.Namespace(), right = lab.Namespace();
        using var leftNs = NamespaceHandle.OpenName(left);
        using var rightNs = NamespaceHandle.OpenName(right);
        using var routerNs = NamespaceHandle.OpenName(router);
        using var r = NetlinkHandle.Open(routerNs);
        r.CreateVeth(new VethSpec { Name = "to-left", PeerName = "eth0", PeerNamespace = leftNs, Up = true });
        r.CreateVeth(new VethSpec { Name = "to-right", PeerName = "eth0", PeerNamespace = rightNs, Up = true });
        r.AddAddress("to-left", IPPrefix.Parse("198.18.50.1/24"));
        r.AddAddress("to-right", IPPrefix.Parse("198.18.51.1/24"));
        using (var l = NetlinkHandle.Open(leftNs))
        {
            l.AddAddress("eth0", IPPrefix.Parse("198.18.50.2/24"));
            l.AddRoute(new RouteSpec { Destination = IPPrefix.Parse("default"), Gateway = System.Net.IPAddress.Parse("198.18.50.1") });
        }
        using (var rt = NetlinkHandle.Open(rightNs))
        {
            rt.AddAddress("eth0", IPPrefix.Parse("198.18.51.2/24"));
            rt.AddRoute(new RouteSpec { Destination = IPPrefix.Parse("default"), Gateway = System.Net.IPAddress.Parse("198.18.51.1") });
        }
        Assert.True(Lab.Ping(left, "198.18.50.1"));
        Assert.True(Lab.Ping(left, "198.18.51.1")); // the router's far address needs no forwarding
        string rootForward = File.ReadAllText("/proc/sys/net/ipv4/ip_forward");
        Assert.Equal("0", Sysctl.Get(routerNs, "net.ipv4.ip_forward"));
        Assert.False(Lab.Ping(left, "198.18.51.2"), "crossed the router before forwarding was enabled");

        Sysctl.Set(routerNs, "net.ipv4.ip_forward", "1");
        Assert.True(Lab.Ping(left, "198.18.51.2"));
        Assert.True(Lab.Ping(right, "198.18.50.2"));
        Assert.Equal(rootForward, File.ReadAllText("/proc/sys/net/ipv4/ip_forward"));
        Assert.Equal("0", Sysctl.Get(leftNs, "net.ipv4.ip_forward"));
    }
}
