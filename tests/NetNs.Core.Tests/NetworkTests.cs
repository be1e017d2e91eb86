using System.Net;
using System.Net.Sockets;

namespace NetNs.Core.Tests;

/// <summary>
/// The tutorial's NAT lab with NetworkManager: a router namespace holds a network with NAT out of its uplink to a wan
/// namespace; two clients join. Everything inside namespaces this test made; the root's ruleset and ip_forward are
/// read before and after and must not change.
/// </summary>
public class NetworkTests
{
    private static readonly IPAddress RouterWan = IPAddress.Parse("198.18.31.1"), Wan = IPAddress.Parse("198.18.31.10");

    [RootFact]
    public async Task ANatNetworkMasqueradesForwardsPortsAndIsRemovedWithoutATrace()
    {
        string rootRules = Lab.Run("nft", "list", "ruleset").Out;
        string rootForward = Sysctl.Get(null, "net.ipv4.ip_forward");
        using var lab = new Lab();
        string router = lab.Namespace(), wan = lab.Namespace(), red = lab.Namespace(), blue = lab.Namespace();
        using var routerNs = NamespaceHandle.OpenName(router);
        using var wanNs = NamespaceHandle.OpenName(wan);
        using var redNs = NamespaceHandle.OpenName(red);
        using var blueNs = NamespaceHandle.OpenName(blue);
        using (var r = NetlinkHandle.Open(routerNs))
        {
            r.CreateVeth(new VethSpec { Name = "wan0", PeerName = "eth0", PeerNamespace = wanNs, Up = true });
            r.AddAddress("wan0", new IPPrefix(RouterWan, 24));
        }
        using (var w = NetlinkHandle.Open(wanNs))
            w.AddAddress("eth0", new IPPrefix(Wan, 24)); // and no route back to the lab's subnet: only NAT gets answers

        string net = Lab.UniqueName();
        using var networks = NetworkManager.Open(NamespaceRef.FromName(router));
        var created = networks.Create(new NetworkSpec
        {
            Name = net,
            Subnets = [IPPrefix.Parse("198.18.30.0/24"), IPPrefix.Parse("2001:db8:30::/64")],
            Nat = true,
            Uplink = "wan0",
        });
        Assert.Equal(["198.18.30.1", "2001:db8:30::1"], created.Gateway.Select(g => g.ToString()));
        Assert.True(created.Nat);
        Assert.Equal("1", Sysctl.Get(routerNs, "net.ipv4.ip_forward"));
        Assert.Equal("1", Sysctl.Get(routerNs, "net.ipv6.conf.all.forwarding"));

        var redMember = networks.Connect(net, redNs);
        var blueMember = networks.Connect(net, blueNs, [IPAddress.Parse("198.18.30.50")]);
        Assert.Equal(["198.18.30.2/24", "2001:db8:30::2/64"], redMember.IPAddress.Select(a => a.ToString()));
        Assert.Equal(["198.18.30.50/24", "2001:db8:30::3/64"], blueMember.IPAddress.Select(a => a.ToString()));
        using (var inRed = NetlinkHandle.Open(redNs))
        {
            Assert.Contains(inRed.GetRoutes(), rt => rt.DestinationPrefix == "0.0.0.0/0" && rt.NextHop == "198.18.30.1");
            Assert.Equal(LinkState.Up, inRed.GetLink("lo").State);
        }

        // a second manager (as a second pwsh would) finds the same network from the kernel objects alone
        using (var again = NetworkManager.Open(NamespaceRef.FromName(router)))
        {
            var seen = again.Get(net);
            Assert.Equal(new[] { blue, red }.Order(StringComparer.Ordinal), seen.Members.Select(m => m.Namespace));
            Assert.Equal("wan0", seen.Uplink);
        }

        // clients reach each other and the gateway
        Assert.True(Echo(redNs, "198.18.30.50").Success);
        Assert.True(Echo(redNs, "198.18.30.1").Success);
        Assert.True(Echo(blueNs, "2001:db8:30::2").Success);

        // masquerade: the wan listener sees the router's wan address
        using (var listener = Listen(wanNs, Wan, 7001))
            Assert.Equal(RouterWan, await SourceSeenAsync(listener, redNs, Wan, 7001));

        // a port-forward on the router reaches a listener in blue, with the wan's own address as source
        using (var nat = new NatTable(routerNs))
        {
            var rule = nat.AddPortForward("tcp", 8080, IPAddress.Parse("198.18.30.50"), 80, inputInterface: "wan0");
            using (var listener = Listen(blueNs, IPAddress.Any, 80))
                Assert.Equal(Wan, await SourceSeenAsync(listener, wanNs, RouterWan, 8080));
            nat.Remove(rule.Handle);

            // without the masquerade rules the connection fails (wan has no route back to 198.18.30.0/24)
            foreach (var masq in nat.List().Where(r => r.Kind == NatRuleKind.Masquerade))
                nat.Remove(masq.Handle);
            using var listener2 = Listen(wanNs, Wan, 7002);
            Assert.Null(await SourceSeenAsync(listener2, redNs, Wan, 7002));
        }

        networks.Disconnect(net, blueNs);
        Assert.Equal([red], networks.Get(net).Members.Select(m => m.Namespace));
        Assert.Equal(NetNsErrorReason.NetworkNotFound, Assert.Throws<NetNsException>(() => networks.Disconnect(net, blueNs)).Reason);

        networks.Remove(net);
        Assert.Empty(networks.List());
        Assert.Equal(NetNsErrorReason.NetworkNotFound, Assert.Throws<NetNsException>(() => networks.Get(net)).Reason);
        using (var r = NetlinkHandle.Open(routerNs))
            Assert.Equal(["lo", "wan0"], r.GetLinks().Select(l => l.Name).Order());
        foreach (var client in new[] { redNs, blueNs })
        {
            using var h = NetlinkHandle.Open(client);
            Assert.Equal(["lo"], h.GetLinks().Select(l => l.Name));
        }
        Assert.Equal("", Lab.Run("ip", "netns", "exec", router, "nft", "list", "ruleset").Out.Trim());
        Assert.Equal("0", Sysctl.Get(routerNs, "net.ipv4.ip_forward"));
        Assert.Equal("0", Sysctl.Get(routerNs, "net.ipv6.conf.all.forwarding"));
        Assert.Equal(rootRules, Lab.Run("nft", "list", "ruleset").Out);
        Assert.Equal(rootForward, Sysctl.Get(null, "net.ipv4.ip_forward"));
    }

    [RootFact]
    public void AFailedCreateLeavesNothingAndBadInputIsRefused()
    {
        using var lab = new Lab();
        string router = lab.Namespace();
        using var networks = NetworkManager.Open(NamespaceRef.FromName(router));
        string net = Lab.UniqueName();
        // NAT out of an uplink that does not exist: refused before anything is made
        Assert.Equal(NetNsErrorReason.LinkNotFound, Assert.Throws<NetNsException>(() => networks.Create(new NetworkSpec
        {
            Name = net, Subnets = [IPPrefix.Parse("198.18.40.0/24")], Nat = true, Uplink = "nowhere0",
        })).Reason);
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => networks.Create(new NetworkSpec
        {
            Name = net, Subnets = [IPPrefix.Parse("198.18.40.1/24")],
        })).Reason);
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => networks.Create(new NetworkSpec
        {
            Name = net, Subnets = [IPPrefix.Parse("198.18.40.0/24"), IPPrefix.Parse("198.18.41.0/24")],
        })).Reason);
        using (var r = NetlinkHandle.Open(NamespaceHandle.OpenName(router), ownsNamespace: true))
            Assert.Equal(["lo"], r.GetLinks().Select(l => l.Name));

        networks.Create(new NetworkSpec { Name = net, Subnets = [IPPrefix.Parse("198.18.40.0/30")] });
        Assert.Equal(NetNsErrorReason.NetworkExists, Assert.Throws<NetNsException>(() =>
            networks.Create(new NetworkSpec { Name = net, Subnets = [IPPrefix.Parse("198.18.40.0/30")] })).Reason);
        string member = lab.Namespace(), second = lab.Namespace();
        using var memberNs = NamespaceHandle.OpenName(member);
        using var secondNs = NamespaceHandle.OpenName(second);
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() =>
            networks.Connect(net, memberNs, [IPAddress.Parse("198.18.40.1")])).Reason); // the gateway
        Assert.Equal("198.18.40.2/30", networks.Connect(net, memberNs).IPAddress.Single().ToString());
        // a /30 has one member address: the next connect finds none, and leaves nothing in either namespace
        Assert.Equal(NetNsErrorReason.NoFreeAddress, Assert.Throws<NetNsException>(() => networks.Connect(net, secondNs)).Reason);
        using (var h = NetlinkHandle.Open(secondNs))
        {
            Assert.Equal(["lo"], h.GetLinks().Select(l => l.Name));
            // an interface name taken in the member: LinkExists, and no port left on the bridge
            h.CreateLink(new LinkSpec { Name = "eth0", Kind = LinkKind.Bridge });
        }
        networks.Remove(net);
        networks.Create(new NetworkSpec { Name = net, Subnets = [IPPrefix.Parse("198.18.40.0/24")] });
        Assert.Equal(NetNsErrorReason.LinkExists, Assert.Throws<NetNsException>(() => networks.Connect(net, secondNs)).Reason);
        Assert.Empty(networks.Get(net).Members);
        using (var r = NetlinkHandle.Open(NamespaceHandle.OpenName(router), ownsNamespace: true))
            Assert.Equal(["lo", net], r.GetLinks().Select(l => l.Name).Order(StringComparer.Ordinal));
        networks.Remove(net);
        using (var h = NetlinkHandle.Open(memberNs))
            Assert.Equal(["lo"], h.GetLinks().Select(l => l.Name));
    }

    [Fact]
    public void LabelsRoundTripAndSubnetAddressesAreCounted()
    {
        var label = new NetworkLabel([IPPrefix.Parse("198.18.10.0/24"), IPPrefix.Parse("2001:db8:10::/64")], "wan0", "0", "0");
        Assert.Equal("netns:network subnet=198.18.10.0/24 subnet=2001:db8:10::/64 uplink=wan0 fwd4=0 fwd6=0", label.Encode());
        var back = NetworkLabel.Parse(label.Encode())!;
        Assert.Equal(label.Subnets, back.Subnets);
        Assert.Equal(("wan0", "0", "0"), (back.Uplink, back.Forward4, back.Forward6));
        Assert.Null(NetworkLabel.Parse("netns:networkish"));
        Assert.Null(NetworkLabel.Parse(null));

        var member = new MemberLabel("lab", "my ns=1", "eth0", [IPPrefix.Parse("198.18.10.2/24")]);
        Assert.Equal("netns:member network=lab ns=my%20ns%3D1 if=eth0 ip=198.18.10.2/24", member.Encode());
        Assert.Equal("my ns=1", MemberLabel.Parse(member.Encode())!.Namespace);

        var v4 = IPPrefix.Parse("198.18.10.0/24");
        Assert.Equal("198.18.10.1", SubnetAllocator.Gateway(v4).ToString());
        Assert.Equal("198.18.10.4", SubnetAllocator.NextFree(v4, [IPAddress.Parse("198.18.10.2"), IPAddress.Parse("198.18.10.3")], "lab").ToString());
        Assert.False(SubnetAllocator.IsMemberAddress(v4, IPAddress.Parse("198.18.10.255"))); // broadcast
        Assert.False(SubnetAllocator.IsMemberAddress(v4, IPAddress.Parse("198.18.11.2")));
        Assert.True(SubnetAllocator.IsMemberAddress(v4, IPAddress.Parse("198.18.10.254")));
        Assert.Equal("2001:db8:10::100", SubnetAllocator.NextFree(IPPrefix.Parse("2001:db8:10::/64"),
            Enumerable.Range(2, 254).Select(i => IPAddress.Parse($"2001:db8:10::{i:x}")), "lab").ToString());
    }

    private static ConnectionTestResult Echo(NamespaceHandle ns, string target) =>
        ConnectionProbe.TestAsync(ns, null, IPAddress.Parse(target), new ConnectionProbeOptions { Count = 3 }).GetAwaiter().GetResult();

    internal static Socket Listen(NamespaceHandle ns, IPAddress address, int port)
    {
        var s = NamespaceSockets.Open(ns, address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(address, port));
        s.Listen(4);
        return s;
    }

    /// <summary>Connects from <paramref name="client"/> (bounded: 3 s) and returns the source the listener saw, or null when no connection came.</summary>
    internal static async Task<IPAddress?> SourceSeenAsync(Socket listener, NamespaceHandle client, IPAddress to, int port)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var accept = listener.AcceptAsync(cts.Token).AsTask();
        try
        {
            using var conn = await NamespaceSockets.ConnectAsync(client, [to], port, cts.Token);
            using var accepted = await accept;
            return ((IPEndPoint)accepted.RemoteEndPoint!).Address;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return null;
        }
    }
}
