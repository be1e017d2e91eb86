namespace NetNs.Core.Tests;

/// <summary>Lab definitions: read from hashtable-like dictionaries and JSON, every bad case one error naming the key.</summary>
public class LabDefinitionTests
{
    internal static Dictionary<string, object?> Edge(string name = "edge") => new()
    {
        ["Name"] = name,
        ["Nodes"] = new Dictionary<string, object?>
        {
            ["r1"] = new Dictionary<string, object?> { ["Forwarding"] = true },
            ["h1"] = new Dictionary<string, object?>(),
            ["h2"] = new Dictionary<string, object?>(),
            ["wan"] = new Dictionary<string, object?>(),
        },
        ["Networks"] = new Dictionary<string, object?>
        {
            ["lan"] = new Dictionary<string, object?> { ["Subnet"] = "198.18.40.0/24", ["Members"] = new[] { "r1", "h1", "h2=198.18.40.20" }, ["Gateway"] = "r1" },
        },
        ["Links"] = new object[]
        {
            new Dictionary<string, object?> { ["Endpoints"] = new[] { "r1:wan0", "wan:eth0" }, ["Subnet"] = "198.18.41.0/30" },
        },
    };

    private static LabDefinition Read(object value) => LabDefinitionReader.Read(DefinitionValue.FromObject(value));

    private static NetNsException Bad(Action<Dictionary<string, object?>> change, string key)
    {
        var d = Edge();
        change(d);
        var e = Assert.Throws<NetNsException>(() => Read(d));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Equal(key, e.Target);
        Assert.StartsWith(key + ":", e.Message);
        return e;
    }

    private static Dictionary<string, object?> Map(Dictionary<string, object?> d, string key) => (Dictionary<string, object?>)d[key]!;

    [Fact]
    public void AGoodDefinitionResolvesToNamespacesVethsAddressesAndRoutes()
    {
        var m = LabResolver.Resolve(Read(Edge()));
        Assert.Equal(["edge-h1", "edge-h2", "edge-r1", "edge-wan", "edge-lan"], m.Namespaces.Select(n => n.Name));
        Assert.Contains(new LabAddressSpec("edge-r1", "lan", IPPrefix.Parse("198.18.40.1/24")), m.Addresses); // gateway first
        Assert.Contains(new LabAddressSpec("edge-h1", "lan", IPPrefix.Parse("198.18.40.2/24")), m.Addresses);
        Assert.Contains(new LabAddressSpec("edge-h2", "lan", IPPrefix.Parse("198.18.40.20/24")), m.Addresses); // pinned
        Assert.Contains(new LabAddressSpec("edge-r1", "wan0", IPPrefix.Parse("198.18.41.1/30")), m.Addresses);
        Assert.Contains(new LabAddressSpec("edge-wan", "eth0", IPPrefix.Parse("198.18.41.2/30")), m.Addresses);
        Assert.Contains(new LabVethSpec("edge-h1", "lan", "edge-lan", "h1", "lan", null), m.Veths);
        Assert.Equal(2, m.Routes.Count(r => r.Destination.IsDefault && r.Gateway.ToString() == "198.18.40.1"));
        Assert.Contains(new LabSysctlSpec("edge-r1", "net.ipv4.ip_forward", "1"), m.Sysctls);
    }

    [Fact]
    public void JsonWithTheSameKeysReadsTheSame()
    {
        string json = LabExporter.Export(Read(Edge()), LabExportFormat.Json);
        var again = LabDefinitionReader.Read(DefinitionValue.FromJson(json));
        Assert.Equal(json, LabExporter.Export(again, LabExportFormat.Json));
        Assert.Equal(LabResolver.Resolve(Read(Edge())).Addresses, LabResolver.Resolve(again).Addresses);
    }

    [Fact]
    public void UnknownTopLevelKey() => Assert.Contains("unknown key 'Nodez'", Bad(d => d["Nodez"] = 1, "Nodez").Message);

    [Fact]
    public void UnknownNodeKey() => Bad(d => Map(Map(d, "Nodes"), "h1")["Fowarding"] = true, "Nodes.h1.Fowarding");

    [Fact]
    public void AContainerNodeIsReadWithItsContainer()
    {
        var d = Edge();
        Map(Map(d, "Nodes"), "h1")["Container"] = "web-1";
        var read = Read(d);
        Assert.Equal("web-1", read.Node("h1")!.Container);
        Assert.Contains(LabResolver.Resolve(read).Namespaces, n => n.Name == "edge-h1" && n.Container == "web-1");
        Assert.Null(read.Node("h2")!.Container);
    }

    [Fact]
    public void AContainerNodeCannotForward() =>
        Assert.Contains("container's own sysctls", Bad(d => Map(Map(d, "Nodes"), "r1")["Container"] = "web", "Nodes.r1.Forwarding").Message);

    [Fact]
    public void AContainerNodeCannotSetSysctls() => Bad(d =>
    {
        Map(Map(d, "Nodes"), "h1")["Container"] = "web";
        Map(Map(d, "Nodes"), "h1")["Sysctls"] = new Dictionary<string, object?> { ["net.ipv4.conf.all.rp_filter"] = 0 };
    }, "Nodes.h1.Sysctls");

    [Fact]
    public void AContainerNodeCannotMasquerade() => Bad(d =>
    {
        Map(Map(d, "Nodes"), "wan")["Container"] = "web";
        d["Nat"] = new Dictionary<string, object?> { ["wan"] = "eth0" };
    }, "Nat.wan");

    [Fact]
    public void OneContainerForTwoNodes() => Bad(d =>
    {
        Map(Map(d, "Nodes"), "h1")["Container"] = "web";
        Map(Map(d, "Nodes"), "h2")["Container"] = "web";
    }, "Nodes.h2.Container");

    [Fact]
    public void AContainerNameWithASpace() => Bad(d => Map(Map(d, "Nodes"), "h1")["Container"] = "web 1", "Nodes.h1.Container");

    [Fact]
    public void UnknownNetworkKey() => Bad(d => Map(Map(d, "Networks"), "lan")["Gatway"] = "r1", "Networks.lan.Gatway");

    [Fact]
    public void MissingName() => Bad(d => d.Remove("Name"), "Name");

    [Fact]
    public void UnknownMember() =>
        Assert.Contains("no node 'h9'", Bad(d => Map(Map(d, "Networks"), "lan")["Members"] = new[] { "r1", "h9" }, "Networks.lan.Members[1]").Message);

    [Fact]
    public void UnknownEndpointNode() =>
        Bad(d => d["Links"] = new object[] { new Dictionary<string, object?> { ["Endpoints"] = new[] { "r1:wan0", "nope:eth0" } } }, "Links[0].Endpoints[1]");

    [Fact]
    public void GatewayNotAMember() => Bad(d => Map(Map(d, "Networks"), "lan")["Gateway"] = "wan", "Networks.lan.Gateway");

    [Fact]
    public void OverlappingSubnets() =>
        Assert.Contains("overlaps 198.18.40.0/24 of Networks.lan.Subnet",
            Bad(d => d["Links"] = new object[] { new Dictionary<string, object?> { ["Endpoints"] = new[] { "r1:wan0", "wan:eth0" }, ["Subnet"] = "198.18.40.128/30" } }, "Links[0].Subnet").Message);

    [Fact]
    public void NodeNameTooLongForAnInterface() =>
        Assert.Contains("at most 15", Bad(d => Map(d, "Nodes")["averyveryverylongname"] = null, "Nodes.averyveryverylongname").Message);

    [Fact]
    public void InterfaceNameTooLong() =>
        Bad(d => d["Links"] = new object[] { new Dictionary<string, object?> { ["Endpoints"] = new[] { "r1:wan0wan0wan0wan0", "wan:eth0" } } }, "Links[0].Endpoints[0]");

    [Fact]
    public void LabNameWithADash() => Bad(d => d["Name"] = "my-lab", "Name");

    [Fact]
    public void LabNameTooLong() => Bad(d => d["Name"] = new string('a', 40), "Name");

    [Fact]
    public void InterfaceTwiceOnANode() =>
        Bad(d => d["Links"] = new object[] { new Dictionary<string, object?> { ["Endpoints"] = new[] { "r1:lan", "wan:eth0" } } }, "Links[0].Endpoints[0]");

    [Fact]
    public void PinnedAddressOutsideTheSubnet() =>
        Bad(d => Map(Map(d, "Networks"), "lan")["Members"] = new[] { "r1", "h1=198.18.99.1" }, "Networks.lan.Members[1]");

    [Fact]
    public void SubnetTooSmall() =>
        Bad(d =>
        {
            Map(Map(d, "Networks"), "lan")["Subnet"] = "198.18.40.0/30";
            Map(Map(d, "Networks"), "lan")["Members"] = new[] { "r1", "h1", "h2" };
        }, "Networks.lan.Subnet");

    [Fact]
    public void NextHopOffTheNodesSubnets() =>
        Bad(d => Map(Map(d, "Nodes"), "wan")["Routes"] = new Dictionary<string, object?> { ["198.18.40.0/24"] = "198.18.77.1" }, "Nodes.wan.Routes.198.18.40.0/24");

    [Fact]
    public void BadSysctlKey() =>
        Bad(d => Map(Map(d, "Nodes"), "h1")["Sysctls"] = new Dictionary<string, object?> { ["kernel.panic"] = "1" }, "Nodes.h1.Sysctls.kernel.panic");

    [Fact]
    public void WrongType() =>
        Assert.Contains("$true or $false", Bad(d => Map(Map(d, "Nodes"), "r1")["Forwarding"] = "yes", "Nodes.r1.Forwarding").Message);

    [Fact]
    public void NetworkNamedLikeANode() =>
        Bad(d => Map(d, "Networks")["h1"] = new Dictionary<string, object?> { ["Subnet"] = "198.18.50.0/24" }, "Networks.h1");

    [Fact]
    public void NatOnAMissingInterface() => Bad(d => d["Nat"] = new Dictionary<string, object?> { ["r1"] = "eth9" }, "Nat.r1");

    [Fact]
    public void TwoDefaultRoutes() => Bad(d =>
    {
        Map(d, "Networks")["dmz"] = new Dictionary<string, object?> { ["Subnet"] = "198.18.42.0/24", ["Members"] = new[] { "wan", "h1" }, ["Gateway"] = "wan" };
    }, "Networks.lan.Members[1]");

    [Fact]
    public void ErrorsNameTheLineWhenTheSourceHasLines()
    {
        var root = DefinitionValue.OfMap([
            new("Name", DefinitionValue.OfScalar("x", 2)),
            new("Nodes", DefinitionValue.OfMap([new("a", DefinitionValue.OfMap([new("Bogus", DefinitionValue.OfScalar(true, 4))], 3))], 3)),
        ], 1);
        var e = Assert.Throws<NetNsException>(() => LabDefinitionReader.Read(root, "lab.psd1"));
        Assert.Equal("lab.psd1:4: Nodes.a.Bogus: unknown key 'Bogus' (allowed: Forwarding, Sysctls, Routes, Container, Host)", e.Message);
    }

    [Fact]
    public void ExportsDrawEveryNodeNetworkAndLink()
    {
        var d = Read(Edge());
        string mermaid = LabExporter.Export(d, LabExportFormat.Mermaid);
        Assert.Contains("graph LR", mermaid);
        Assert.Contains("n_h1 ---|\"lan\"| w_lan", mermaid);
        Assert.Contains("n_r1 ---|\"wan0 – eth0<br/>198.18.41.0/30\"| n_wan", mermaid);
        string dot = LabExporter.Export(d, LabExportFormat.Dot);
        Assert.StartsWith("graph \"edge\" {", dot);
        Assert.Contains("\"n:h2\" -- \"w:lan\"", dot);
        Assert.Contains("label=\"lan\\n198.18.40.0/24\"", dot); // DOT's own line break, one backslash
    }

    [Fact]
    public void TheExpectedMatrixFollowsRoutesThroughTheRouter()
    {
        var m = LabResolver.Resolve(Read(Edge()));
        var expected = ReachabilityMatrix.Expected(m).Select(e => (m.MemberOf(e.From), e.Address.ToString())).ToHashSet();
        Assert.Contains(("h1", "198.18.40.20"), expected);
        Assert.Contains(("h1", "198.18.41.1"), expected); // the router's other side: its own address
        Assert.DoesNotContain(("h1", "198.18.41.2"), expected); // wan has no route back to the LAN
        Assert.Contains(("wan", "198.18.41.1"), expected);
    }
}
