using System.Net;

namespace NetNs.Core.Tests;

/// <summary>Routes in a test namespace's main table, checked against `ip -j route show` both ways.</summary>
public sealed class RouteTests : IDisposable
{
    private readonly Lab _lab = new();
    private readonly string _ns;
    private readonly NetlinkHandle _h;

    public RouteTests()
    {
        _ns = _lab.Namespace();
        _h = NetlinkHandle.Open(NamespaceHandle.OpenName(_ns), ownsNamespace: true);
        _h.CreateVeth(new VethSpec { Name = "v0", PeerName = "v1", Up = true });
        _h.AddAddress("v0", IPPrefix.Parse("198.18.30.1/24"));
        _h.AddAddress("v0", IPPrefix.Parse("2001:db8:30::1/64"), new AddressOptions { SkipDuplicateAddressDetection = true });
    }

    public void Dispose()
    {
        _h.Dispose();
        _lab.Dispose();
    }

    private static RouteSpec Spec(string dest, string? gw = null, string? dev = null, uint? metric = null) => new()
    {
        Destination = IPPrefix.Parse(dest, dest.Contains(':') || gw?.Contains(':') == true ? IPAddressFamily.IPv6 : IPAddressFamily.IPv4),
        Gateway = gw is null ? null : IPAddress.Parse(gw),
        InterfaceName = dev,
        Metric = metric,
    };

    [RootFact]
    public void DefaultRouteViaGateway()
    {
        _h.AddRoute(Spec("default", "198.18.30.254"));
        var ip = Assert.Single(Ip.Routes(_ns), r => r.Str("dst") == "default");
        Assert.Equal(("198.18.30.254", "v0"), (ip.Str("gateway"), ip.Str("dev")));
        var r = Assert.Single(_h.GetRoutes(IPAddressFamily.IPv4), x => x.DestinationPrefix == "0.0.0.0/0");
        Assert.Equal(("198.18.30.254", "v0", "boot", 254, _ns), (r.NextHop, r.InterfaceAlias, r.Protocol, r.Table, r.Namespace));
        // the connected route the address added is there too, with the kernel as its protocol
        var connected = Assert.Single(_h.GetRoutes(IPAddressFamily.IPv4), x => x.DestinationPrefix == "198.18.30.0/24");
        Assert.Equal(("0.0.0.0", "kernel", "link", "198.18.30.1"), (connected.NextHop, connected.Protocol, connected.Scope, connected.PreferredSource));
    }

    [RootFact]
    public void PrefixViaDeviceWithMetric()
    {
        _h.AddRoute(Spec("198.19.31.77/24", dev: "v0", metric: 123)); // host bits are cleared
        var ip = Assert.Single(Ip.Routes(_ns), r => r.Str("dst") == "198.19.31.0/24");
        Assert.Equal(("v0", 123, "link"), (ip.Str("dev"), ip.Int("metric"), ip.Str("scope")));
        Assert.Null(ip.Str("gateway"));
        var r = Assert.Single(_h.GetRoutes(), x => x.DestinationPrefix == "198.19.31.0/24");
        Assert.Equal((123u, "0.0.0.0", "link"), (r.RouteMetric, r.NextHop, r.Scope));
        Assert.Equal("198.19.31.0/24 dev v0", r.ToString());
    }

    [RootFact]
    public void Ipv6RouteViaGateway()
    {
        _h.AddRoute(Spec("2001:db8:31::/48", "2001:db8:30::fe", metric: 50));
        var ip = Assert.Single(Ip.Routes(_ns, v6: true), r => r.Str("dst") == "2001:db8:31::/48");
        Assert.Equal(("2001:db8:30::fe", "v0", 50), (ip.Str("gateway"), ip.Str("dev"), ip.Int("metric")));
        var r = Assert.Single(_h.GetRoutes(IPAddressFamily.IPv6), x => x.DestinationPrefix == "2001:db8:31::/48");
        Assert.Equal(("2001:db8:30::fe", 50u, IPAddressFamily.IPv6), (r.NextHop, r.RouteMetric, r.AddressFamily));
        Assert.DoesNotContain(_h.GetRoutes(IPAddressFamily.IPv4), x => x.AddressFamily == IPAddressFamily.IPv6);
        _h.AddRoute(Spec("default", "2001:db8:30::fe"));
        Assert.Single(Ip.Routes(_ns, v6: true), x => x.Str("dst") == "default");
    }

    [RootFact]
    public void CreateRouteReturnsTheKernelsEchoOfTheRouteItMade()
    {
        // IPv4 via a gateway: the output link is found by the kernel and named by index
        var v4 = _h.CreateRoute(Spec("default", "198.18.30.254"));
        var dumped = Assert.Single(_h.GetRoutes(IPAddressFamily.IPv4), x => x.DestinationPrefix == "0.0.0.0/0");
        Assert.Equal((dumped.NextHop, dumped.InterfaceAlias, dumped.InterfaceIndex, dumped.Protocol, dumped.Scope, dumped.Table, dumped.Namespace),
            (v4.NextHop, v4.InterfaceAlias, v4.InterfaceIndex, v4.Protocol, v4.Scope, v4.Table, v4.Namespace));
        Assert.Equal(("198.18.30.254", "v0"), (v4.NextHop, v4.InterfaceAlias));
        Assert.Single(Ip.Routes(_ns), r => r.Str("dst") == "default");

        // IPv6 with a metric, and a prefix straight out of a named link
        var v6 = _h.CreateRoute(Spec("2001:db8:37::/48", "2001:db8:30::fe", metric: 60));
        Assert.Equal(("2001:db8:37::/48", "2001:db8:30::fe", "v0", 60u, IPAddressFamily.IPv6),
            (v6.DestinationPrefix, v6.NextHop, v6.InterfaceAlias, v6.RouteMetric, v6.AddressFamily));
        var dev = _h.CreateRoute(Spec("198.19.37.0/24", dev: "v0"));
        Assert.Equal(("198.19.37.0/24 dev v0", "link"), (dev.ToString(), dev.Scope));

        // the same route again: RouteExists and nothing echoed; with replace, the new next hop comes back
        Assert.Equal(NetNsErrorReason.RouteExists, Assert.Throws<NetNsException>(() => _h.CreateRoute(Spec("default", "198.18.30.254"))).Reason);
        var replaced = _h.CreateRoute(Spec("default", "198.18.30.253"), replace: true);
        Assert.Equal("198.18.30.253", replaced.NextHop);
        Assert.Equal("198.18.30.253", Assert.Single(Ip.Routes(_ns), r => r.Str("dst") == "default").Str("gateway"));
    }

    [RootFact]
    public void RouteMadeByIpIsSeen()
    {
        Ip.Must("-n", _ns, "route", "add", "198.19.32.0/24", "via", "198.18.30.9", "metric", "77");
        var r = Assert.Single(_h.GetRoutes(), x => x.DestinationPrefix == "198.19.32.0/24");
        Assert.Equal(("198.18.30.9", "v0", 77u), (r.NextHop, r.InterfaceAlias, r.RouteMetric));
        _h.DeleteRoute(Spec("198.19.32.0/24", "198.18.30.9", metric: 77));
        Assert.DoesNotContain(Ip.Routes(_ns), x => x.Str("dst") == "198.19.32.0/24");
    }

    [RootFact]
    public void ReplaceIsIdempotentAndChangesTheGateway()
    {
        _h.ReplaceRoute(Spec("198.19.33.0/24", "198.18.30.2"));
        _h.ReplaceRoute(Spec("198.19.33.0/24", "198.18.30.2"));
        Assert.Equal("198.18.30.2", Assert.Single(Ip.Routes(_ns), r => r.Str("dst") == "198.19.33.0/24").Str("gateway"));
        _h.ReplaceRoute(Spec("198.19.33.0/24", "198.18.30.3"));
        Assert.Equal("198.18.30.3", Assert.Single(Ip.Routes(_ns), r => r.Str("dst") == "198.19.33.0/24").Str("gateway"));
        Assert.Single(_h.GetRoutes(), r => r.DestinationPrefix == "198.19.33.0/24");
    }

    [RootFact]
    public void AddTwiceIsRouteExistsDeleteTwiceIsRouteNotFound()
    {
        var spec = Spec("198.19.34.0/24", "198.18.30.2");
        _h.AddRoute(spec);
        var exists = Assert.Throws<NetNsException>(() => _h.AddRoute(spec));
        Assert.Equal(NetNsErrorReason.RouteExists, exists.Reason);
        Assert.Contains("198.19.34.0/24 via 198.18.30.2", exists.Message);
        _h.DeleteRoute(spec);
        Assert.DoesNotContain(Ip.Routes(_ns), r => r.Str("dst") == "198.19.34.0/24");
        var missing = Assert.Throws<NetNsException>(() => _h.DeleteRoute(spec));
        Assert.Equal(NetNsErrorReason.RouteNotFound, missing.Reason);
        Assert.Contains($"in namespace '{_ns}'", missing.Message);
        Assert.Equal(NetNsErrorReason.RouteNotFound,
            Assert.Throws<NetNsException>(() => _h.DeleteRoute(Spec("2001:db8:99::/48", dev: "v0"))).Reason);
    }

    [RootFact]
    public void UnreachableGatewayIsNetworkUnreachable()
    {
        var e = Assert.Throws<NetNsException>(() => _h.AddRoute(Spec("198.19.35.0/24", "198.19.200.1")));
        Assert.Equal(NetNsErrorReason.NetworkUnreachable, e.Reason);
        Assert.DoesNotContain(Ip.Routes(_ns), r => r.Str("dst") == "198.19.35.0/24");
    }

    [RootFact]
    public void BadRouteSpecsAreInvalidArgument()
    {
        var before = Ip.Routes(_ns).Count;
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => _h.AddRoute(Spec("198.19.36.0/24"))).Reason);
        Assert.Equal(NetNsErrorReason.InvalidArgument,
            Assert.Throws<NetNsException>(() => _h.AddRoute(new RouteSpec { Destination = IPPrefix.Parse("198.19.36.0/24"), Gateway = IPAddress.Parse("2001:db8:30::fe") })).Reason);
        Assert.Equal(NetNsErrorReason.LinkNotFound,
            Assert.Throws<NetNsException>(() => _h.AddRoute(Spec("198.19.36.0/24", dev: "ghost"))).Reason);
        Assert.Equal(before, Ip.Routes(_ns).Count);
    }
}
