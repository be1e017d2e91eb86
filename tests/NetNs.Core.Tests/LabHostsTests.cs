using System.Net;

namespace NetNs.Core.Tests;

/// <summary>Labs across hosts: the Hosts and Host keys, the split into one plain lab per host, the VXLAN that joins them.</summary>
public class LabHostsTests
{
    /// <summary>The example: r1 and h1 on host a, h2 on host b, one network with r1 as its gateway.</summary>
    internal static Dictionary<string, object?> Span(string name = "span", string a = "198.18.250.2", string b = "198.18.250.3") => new()
    {
        ["Name"] = name,
        ["Hosts"] = new Dictionary<string, object?>
        {
            ["a"] = new Dictionary<string, object?> { ["HostName"] = a, ["UserName"] = "root", ["KeyFilePath"] = "/k/lab", ["Port"] = 22L },
            ["b"] = new Dictionary<string, object?> { ["HostName"] = b, ["UserName"] = "root", ["KeyFilePath"] = "/k/lab",
                ["Options"] = new Dictionary<string, object?> { ["StrictHostKeyChecking"] = "yes", ["UserKnownHostsFile"] = "/k/known_hosts" } },
        },
        ["Nodes"] = new Dictionary<string, object?>
        {
            ["r1"] = new Dictionary<string, object?> { ["Host"] = "a", ["Forwarding"] = true },
            ["h1"] = new Dictionary<string, object?> { ["Host"] = "a" },
            ["h2"] = new Dictionary<string, object?> { ["Host"] = "b" },
        },
        ["Networks"] = new Dictionary<string, object?>
        {
            ["lan"] = new Dictionary<string, object?> { ["Subnet"] = "198.18.40.0/24", ["Members"] = new[] { "r1", "h1", "h2" }, ["Gateway"] = "r1" },
        },
    };

    private static LabDefinition Read(object value) => LabDefinitionReader.Read(DefinitionValue.FromObject(value));

    private static Dictionary<string, object?> Map(Dictionary<string, object?> d, string key) => (Dictionary<string, object?>)d[key]!;

    private static void Bad(Action<Dictionary<string, object?>> change, string key, string? contains = null)
    {
        var d = Span();
        change(d);
        var e = Assert.Throws<NetNsException>(() => Read(d));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Equal(key, e.Target);
        if (contains is not null)
            Assert.Contains(contains, e.Message);
    }

    [Fact]
    public void HostsAndHostKeysAreRead()
    {
        var d = Read(Span());
        Assert.Equal(["a", "b"], d.Hosts.Select(h => h.Name));
        Assert.Equal("198.18.250.2", d.Hosts[0].HostName);
        Assert.Equal(22, d.Hosts[0].Port);
        Assert.Null(d.Hosts[1].Port);
        Assert.Equal(["StrictHostKeyChecking", "UserKnownHostsFile"], d.Hosts[1].Options.Select(o => o.Key));
        Assert.Equal(IPAddress.Parse("198.18.250.3"), d.Hosts[1].Underlay);
        Assert.Equal("a", d.Node("r1")!.Host);
        Assert.Equal("b", d.Node("h2")!.Host);
        Assert.Equal("a (root@198.18.250.2:22)", d.Hosts[0].ToString()); // what messages say: no key, no options
    }

    [Fact]
    public void ALabWithoutHostsIsOnePartAsBefore()
    {
        var d = Read(LabDefinitionTests.Edge("edge"));
        Assert.False(LabHostSplitter.SpansHosts(d));
        var part = Assert.Single(LabHostSplitter.Split(d));
        Assert.Null(part.Host);
        Assert.Equal(LabExporter.Export(d, LabExportFormat.Json), LabExporter.Export(part.Definition, LabExportFormat.Json));
    }

    [Fact]
    public void TheExampleSplitsIntoTwoPlainLabsJoinedByOneVxlan()
    {
        var parts = LabHostSplitter.Split(Read(Span()));
        Assert.Equal(["a", "b"], parts.Select(p => p.HostName));
        var a = parts[0].Definition;
        var b = parts[1].Definition;
        Assert.Empty(a.Hosts);
        Assert.All(a.Nodes.Concat(b.Nodes), n => Assert.Null(n.Host)); // each part is a local lab on its host
        Assert.Equal(["h1", "r1"], a.Nodes.Select(n => n.Name));
        Assert.Equal(["h2"], b.Nodes.Select(n => n.Name));
        var lanA = Assert.Single(a.Networks);
        var lanB = Assert.Single(b.Networks);
        Assert.Equal("r1", lanA.Gateway);
        Assert.Null(lanB.Gateway);
        // The addresses the whole network gives: r1 .1 (gateway), h1 .2, h2 .3, pinned in each part.
        Assert.Equal(["r1=198.18.40.1", "h1=198.18.40.2"], lanA.Members.Select(m => m.Node + "=" + string.Join(",", m.Pinned)));
        Assert.Equal(["h2=198.18.40.3"], lanB.Members.Select(m => m.Node + "=" + string.Join(",", m.Pinned)));
        // MTU lowered by the IPv4 VXLAN overhead on both sides; one VNI, each side's remote the other.
        Assert.Equal(1450, lanA.Mtu);
        Assert.Equal(1450, lanB.Mtu);
        Assert.Equal(lanA.Vxlan!.Id, lanB.Vxlan!.Id);
        Assert.Equal(LabHostSplitter.VniOf("span", "lan"), lanA.Vxlan.Id);
        Assert.Equal((IPAddress.Parse("198.18.250.2"), IPAddress.Parse("198.18.250.3")), (lanA.Vxlan.Local, lanA.Vxlan.Remotes.Single()));
        Assert.Equal((IPAddress.Parse("198.18.250.3"), IPAddress.Parse("198.18.250.2")), (lanB.Vxlan.Local, lanB.Vxlan.Remotes.Single()));
        Assert.Equal(4789, lanA.Vxlan.Port);
        // h2 routes by default through r1 across the VXLAN.
        var route = Assert.Single(b.Node("h2")!.Routes);
        Assert.True(route.Destination.IsDefault);
        Assert.Equal(IPAddress.Parse("198.18.40.1"), route.Via);
        Assert.Empty(a.Node("h1")!.Routes); // h1 gets its default route from the network, as before
    }

    [Fact]
    public void EachPartIsAValidDefinitionThatSurvivesJson()
    {
        var d = Span();
        d["Vxlan"] = new Dictionary<string, object?> { ["Port"] = 4790L };
        foreach (var part in LabHostSplitter.Split(Read(d)))
        {
            string json = LabExporter.Export(part.Definition, LabExportFormat.Json);
            var again = LabDefinitionReader.Read(DefinitionValue.FromJson(json));
            Assert.Equal(json, LabExporter.Export(again, LabExportFormat.Json));
            Assert.Equal(4790, again.Networks.Single().Vxlan!.Port);
            var m = LabResolver.Resolve(again);
            var vx = Assert.Single(m.Vxlans);
            Assert.Equal("span-lan", vx.Namespace);
            Assert.Equal("lan", vx.Bridge);
            Assert.Equal(1450, vx.Mtu);
        }
    }

    [Fact]
    public void ThreeHostsFloodToBothOthers()
    {
        var d = Span();
        Map(d, "Hosts")["c"] = new Dictionary<string, object?> { ["HostName"] = "198.18.250.4" };
        Map(d, "Nodes")["h3"] = new Dictionary<string, object?> { ["Host"] = "c" };
        Map(Map(d, "Networks"), "lan")["Members"] = new[] { "r1", "h1", "h2", "h3" };
        var parts = LabHostSplitter.Split(Read(d));
        Assert.Equal(["198.18.250.3", "198.18.250.4"], parts[0].Definition.Networks[0].Vxlan!.Remotes.Select(r => r.ToString()));
        Assert.Equal(["198.18.250.2", "198.18.250.3"], parts[2].Definition.Networks[0].Vxlan!.Remotes.Select(r => r.ToString()));
        Assert.Equal(["h3=198.18.40.4"], parts[2].Definition.Networks[0].Members.Select(m => m.Node + "=" + string.Join(",", m.Pinned)));
    }

    [Fact]
    public void VnisDifferPerLabAndNetworkAndStayInRange()
    {
        Assert.Equal(LabHostSplitter.VniOf("span", "lan"), LabHostSplitter.VniOf("span", "lan"));
        Assert.NotEqual(LabHostSplitter.VniOf("span", "lan"), LabHostSplitter.VniOf("span2", "lan"));
        Assert.NotEqual(LabHostSplitter.VniOf("span", "lan"), LabHostSplitter.VniOf("span", "lan2"));
        Assert.NotEqual(LabHostSplitter.VniOf("ab", "c"), LabHostSplitter.VniOf("a", "bc"));
        for (int i = 0; i < 1000; i++)
            Assert.InRange(LabHostSplitter.VniOf("lab" + i, "n"), 4096, 0xFFFFFF);
    }

    [Fact]
    public void ANetworkOfOneHostIsThatHostsWithoutVxlan()
    {
        var d = Span();
        Map(Map(d, "Networks"), "lan")["Members"] = new[] { "r1", "h1" };
        var parts = LabHostSplitter.Split(Read(d));
        var lan = Assert.Single(parts[0].Definition.Networks);
        Assert.Null(lan.Vxlan);
        Assert.Null(lan.Mtu);
        Assert.Empty(parts[1].Definition.Networks);
    }

    [Fact]
    public void BadHostsAreOneErrorNamingTheKey()
    {
        Bad(d => Map(Map(d, "Nodes"), "h2")["Host"] = "z", "Nodes.h2.Host", "there is no host 'z'");
        Bad(d => d.Remove("Hosts"), "Nodes.h1.Host", "the lab has no Hosts");
        Bad(d => Map(Map(d, "Hosts"), "a")["HostName"] = "-oProxyCommand=x", "Hosts.a.HostName");
        Bad(d => Map(Map(d, "Hosts"), "a")["UserName"] = "root x", "Hosts.a.UserName");
        Bad(d => Map(Map(d, "Hosts"), "a")["Port"] = 70000L, "Hosts.a.Port");
        Bad(d => Map(Map(d, "Hosts"), "a")["Password"] = "x", "Hosts.a.Password", "unknown key");
        Bad(d => Map(Map(d, "Hosts"), "a")["Options"] = new Dictionary<string, object?> { ["ProxyCommand"] = "a\nb" }, "Hosts.a.Options.ProxyCommand");
        Bad(d => Map(Map(d, "Hosts"), "a")["Options"] = new Dictionary<string, object?> { ["batchmode"] = "no" }, "Hosts.a.Options.batchmode", "BatchMode=yes");
        Bad(d => Map(Map(d, "Hosts"), "b")["HostName"] = "lab-b.example", "Hosts.b.Address", "not an IP address");
        Bad(d => Map(Map(d, "Hosts"), "b").Remove("HostName"), "Hosts.b.HostName", "is required");
        Bad(d => { Map(Map(d, "Nodes"), "h2").Remove("Host"); d["Vxlan"] = new Dictionary<string, object?> { ["Address"] = "2001:db8::9" }; }, "Networks.lan.Members", "different families");
        Bad(d => d["Vxlan"] = new Dictionary<string, object?> { ["Address"] = "here" }, "Vxlan.Address", "not an IPv4 or IPv6 address");
        Bad(d => d["Vxlan"] = new Dictionary<string, object?> { ["Port"] = 0L }, "Vxlan.Port");
        Bad(d => { d["Links"] = new object[] { new Dictionary<string, object?> { ["Endpoints"] = new[] { "h1:p", "h2:p" } } }; Map(d, "Nodes")["ln0"] = new Dictionary<string, object?> { ["Host"] = "a" }; },
            "Links[0]", "network named 'ln0'");
        Bad(d => Map(Map(d, "Networks"), "lan")["Vxlan"] = new Dictionary<string, object?> { ["Id"] = 5L, ["Local"] = "198.18.250.2", ["Remotes"] = "198.18.250.3" },
            "Networks.lan.Vxlan", "made by the lab");
    }

    [Fact]
    public void ALinkBetweenHostsIsCarriedAsANetworkOfItsTwoEnds()
    {
        var d = Span();
        d["Links"] = new object[]
        {
            new Dictionary<string, object?> { ["Endpoints"] = new[] { "h1:p0", "h2:q0" }, ["Subnet"] = "198.18.45.0/30", ["Rate"] = "10mbit" },
            new Dictionary<string, object?> { ["Endpoints"] = new[] { "r1:x0", "h1:x0" }, ["Subnet"] = "198.18.46.0/30" },
        };
        var parts = LabHostSplitter.Split(Read(d));
        var a = parts.Single(p => p.HostName == "a").Definition;
        var b = parts.Single(p => p.HostName == "b").Definition;
        // the link on one host stays a link; the one between hosts is network ln0, a bridge on each side
        Assert.Equal("r1:x0", Assert.Single(a.Links).A.ToString());
        Assert.Empty(b.Links);
        var la = a.Networks.Single(n => n.Name == "ln0");
        var lb = b.Networks.Single(n => n.Name == "ln0");
        Assert.Equal(("p0", "h1", "198.18.45.1"), (la.Interface, Assert.Single(la.Members).Node, Assert.Single(la.Members[0].Pinned).ToString()));
        Assert.Equal(("q0", "h2", "198.18.45.2"), (lb.Interface, Assert.Single(lb.Members).Node, Assert.Single(lb.Members[0].Pinned).ToString()));
        Assert.Equal((1450, 1450), (la.Mtu, lb.Mtu));
        Assert.Equal(la.Vxlan!.Id, lb.Vxlan!.Id);
        Assert.Equal([IPAddress.Parse("198.18.250.3")], la.Vxlan.Remotes);
        Assert.Equal(10_000_000UL, la.Impairment!.RateBitsPerSecond);
        Assert.Null(la.Gateway);
        // what the nodes should reach is the link as on one machine
        Assert.Equal(2, LabHostSplitter.Flatten(Read(d)).Links.Count);
    }

    [Fact]
    public void NodesWithoutAHostJoinHostsAtThisMachinesAddress()
    {
        // h2 here, r1 and h1 on host a; a link from h3 (here) to h1 (a) too.
        var d = Span();
        Map(Map(d, "Nodes"), "h2").Remove("Host");
        Map(d, "Nodes")["h3"] = new Dictionary<string, object?>();
        d["Links"] = new object[] { new Dictionary<string, object?> { ["Endpoints"] = new[] { "h3:p0", "h1:p0" }, ["Subnet"] = "198.18.45.0/30" } };
        d["Vxlan"] = new Dictionary<string, object?> { ["Address"] = "198.18.250.9" };
        var parts = LabHostSplitter.Split(Read(d));
        Assert.Equal(["local", "a"], parts.Select(p => p.HostName));
        var here = parts[0].Definition;
        var lan = here.Networks.Single(n => n.Name == "lan");
        Assert.Equal(IPAddress.Parse("198.18.250.9"), lan.Vxlan!.Local);
        Assert.Equal([IPAddress.Parse("198.18.250.2")], lan.Vxlan.Remotes);
        Assert.Equal("h2", Assert.Single(lan.Members).Node);
        Assert.Equal("198.18.40.1", Assert.Single(here.Node("h2")!.Routes).Via.ToString()); // to the gateway r1, on host a
        Assert.Equal(IPAddress.Parse("198.18.250.9"), Assert.Single(parts[1].Definition.Networks.Single(n => n.Name == "lan").Vxlan!.Remotes));
        Assert.Equal("p0", here.Networks.Single(n => n.Name == "ln0").Interface);

        // Without Vxlan.Address: the address this machine sends from to host a (its route there), as `ip route get` says.
        d.Remove("Vxlan");
        var (code, stdout, _) = Lab.Run("ip", "-j", "route", "get", "198.18.250.2");
        if (code != 0)
        {
            // no route there: one error naming the host and the key to set
            var e = Assert.Throws<NetNsException>(() => LabHostSplitter.WithLocalAddress(Read(d)));
            Assert.Equal((NetNsErrorReason.HostUnreachable, "a"), (e.Reason, e.Target));
            Assert.Contains("Vxlan = @{ Address", e.Message);
        }
        else
        {
            var found = LabHostSplitter.WithLocalAddress(Read(d));
            using var route = System.Text.Json.JsonDocument.Parse(stdout);
            Assert.Equal(IPAddress.Parse(route.RootElement[0].GetProperty("prefsrc").GetString()!), found.VxlanAddress);
            Assert.Equal(found.VxlanAddress, LabHostSplitter.Split(found)[0].Definition.Networks.Single(n => n.Name == "lan").Vxlan!.Local);
        }
        // A lab whose local nodes share nothing with hosts needs no address.
        Assert.Null(LabHostSplitter.WithLocalAddress(Read(Span())).VxlanAddress);
    }

    [Fact]
    public void ADnsHostNameWithAnAddressIsFine()
    {
        var d = Span();
        Map(Map(d, "Hosts"), "b")["HostName"] = "lab-b.example";
        Map(Map(d, "Hosts"), "b")["Address"] = "198.18.250.3";
        var parts = LabHostSplitter.Split(Read(d));
        Assert.Equal("198.18.250.3", parts[1].Definition.Networks[0].Vxlan!.Local.ToString());
    }

    [Fact]
    public void BadNetworkVxlanKeysAreOneError()
    {
        var d = LabDefinitionTests.Edge();
        var lan = Map(Map(d, "Networks"), "lan");
        lan["Vxlan"] = new Dictionary<string, object?> { ["Id"] = 5L, ["Local"] = "198.18.250.2", ["Remotes"] = "2001:db8::1" };
        Assert.Equal("Networks.lan.Vxlan.Remotes", Assert.Throws<NetNsException>(() => Read(d)).Target);
        lan["Vxlan"] = new Dictionary<string, object?> { ["Id"] = 16777216L, ["Local"] = "198.18.250.2", ["Remotes"] = "198.18.250.3" };
        Assert.Equal("Networks.lan.Vxlan.Id", Assert.Throws<NetNsException>(() => Read(d)).Target);
        lan["Vxlan"] = new Dictionary<string, object?> { ["Id"] = 5L, ["Local"] = "198.18.250.2", ["Remotes"] = "198.18.250.2" };
        Assert.Equal("Networks.lan.Vxlan.Remotes", Assert.Throws<NetNsException>(() => Read(d)).Target);
    }

    [Fact]
    public void ExportGroupsNodesByHost()
    {
        var d = Read(Span());
        string mermaid = LabExporter.Export(d, LabExportFormat.Mermaid);
        Assert.Contains("subgraph h_a[\"host a\"]", mermaid);
        Assert.Contains("subgraph h_b[\"host b\"]", mermaid);
        int a = mermaid.IndexOf("subgraph h_a", StringComparison.Ordinal);
        int b = mermaid.IndexOf("subgraph h_b", StringComparison.Ordinal);
        Assert.InRange(mermaid.IndexOf("n_r1[", StringComparison.Ordinal), a, b);
        Assert.InRange(mermaid.IndexOf("w_lan{{", StringComparison.Ordinal), a, b); // the bridge is on the gateway's host
        Assert.True(mermaid.IndexOf("n_h2[", StringComparison.Ordinal) > b);
        Assert.Contains("vxlan to b", mermaid);
        string dot = LabExporter.Export(d, LabExportFormat.Dot);
        Assert.Contains("subgraph \"cluster_a\" {", dot);
        Assert.Contains("label=\"host b\";", dot);
        Assert.DoesNotContain("/k/lab", mermaid + dot); // no key paths in graphs
    }

    [Fact]
    public void JsonKeepsHostsAndHostKeys()
    {
        var d = Span();
        d["Vxlan"] = new Dictionary<string, object?> { ["Port"] = 4790L, ["Address"] = "198.18.250.9" };
        string json = LabExporter.Export(Read(d), LabExportFormat.Json);
        var again = LabDefinitionReader.Read(DefinitionValue.FromJson(json));
        Assert.Equal(json, LabExporter.Export(again, LabExportFormat.Json));
        Assert.Equal(4790, again.VxlanPort);
        Assert.Equal(IPAddress.Parse("198.18.250.9"), again.VxlanAddress);
        Assert.Equal("b", again.Node("h2")!.Host);
        Assert.Equal("yes", again.Hosts[1].Options[0].Value);
    }
}
