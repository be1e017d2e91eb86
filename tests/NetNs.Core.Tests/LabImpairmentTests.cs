using NetNs.Core.Interop;

namespace NetNs.Core.Tests;

/// <summary>
/// The impairment keys of a lab's Links entries: read and checked with the rest of the definition, and converged from
/// none to rate+loss and back by changing only qdiscs and NetNs's nftables chains (every namespace and link keeps
/// its identity).
/// </summary>
public class LabImpairmentTests
{
    private static Dictionary<string, object?> Definition(string name, Dictionary<string, object?>? keys = null)
    {
        var link = new Dictionary<string, object?> { ["Endpoints"] = new[] { "a:eth0", "b:eth0" }, ["Subnet"] = "198.18.90.0/30" };
        foreach (var (k, v) in keys ?? [])
            link[k] = v;
        return new Dictionary<string, object?>
        {
            ["Name"] = name,
            ["Nodes"] = new Dictionary<string, object?> { ["a"] = new Dictionary<string, object?>(), ["b"] = new Dictionary<string, object?>() },
            ["Links"] = new object[] { link },
        };
    }

    private static LabDefinition Read(Dictionary<string, object?> d) => LabDefinitionReader.Read(DefinitionValue.FromObject(d));

    [Fact]
    public void LinkKeysAreReadAsAnImpairment()
    {
        var d = Read(Definition("nt000001", new() { ["Rate"] = "10mbit", ["Loss"] = 1L, ["Delay"] = "20ms", ["Jitter"] = 5L }));
        var i = d.Links[0].Impairment!;
        Assert.Equal((10_000_000UL, 1.0, 20.0, 5.0), (i.RateBitsPerSecond!.Value, i.Loss!.Value, i.Delay!.Value.TotalMilliseconds, i.Jitter!.Value.TotalMilliseconds));
        Assert.Null(Read(Definition("nt000001")).Links[0].Impairment);
    }

    [Theory]
    [InlineData("Rate", "fast", "Links[0].Rate")]
    [InlineData("Loss", 150L, "Links[0].Loss")]
    [InlineData("Delay", "soon", "Links[0].Delay")]
    [InlineData("Jitter", "5ms", "Links[0].Jitter")]
    public void BadKeysAreOneErrorNamingTheKey(string key, object value, string named)
    {
        var e = Assert.Throws<NetNsException>(() => Read(Definition("nt000001", new() { [key] = value })));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Contains(named, e.Message);
    }

    [RootFact]
    public void ConvergingFromNoneToRateAndLossAndBackChangesOnlyTheQdiscs()
    {
        using var lab = new LabDeploymentTests.TestLab();
        LabDeployment.Deploy(Read(Definition(lab.Name)));
        string a = lab.Ns("a"), b = lab.Ns("b");
        var identities = (Identity(a), Identity(b), Index(a), Index(b));

        var impaired = LabDeployment.Deploy(Read(Definition(lab.Name, new() { ["Rate"] = "10mbit", ["Loss"] = 1L })));
        Assert.Equal(2, impaired.Changes.Count);
        Assert.All(impaired.Changes, c => Assert.Equal((LabChangeAction.Set, LabObjectKind.Impairment), (c.Action, c.Kind)));
        foreach (string ns in new[] { a, b })
        {
            var got = LabImpairments.Current(ns, "eth0")!;
            Assert.Equal((10_000_000UL, 1.0), (got.RateBitsPerSecond!.Value, got.Loss!.Value));
            Assert.Contains("rate 10Mbit", Lab.Run("ip", "netns", "exec", ns, "tc", "qdisc", "show", "dev", "eth0").Out);
        }
        Assert.Equal(identities, (Identity(a), Identity(b), Index(a), Index(b)));
        Assert.Empty(LabDeployment.Plan(Read(Definition(lab.Name, new() { ["Rate"] = "10mbit", ["Loss"] = 1L }))).Changes);

        // Get-NetNsLab and Export-NetNsLab show it, and the export deploys back to no change
        var info = LabInfo.Read(lab.Name)!;
        Assert.Equal("a:eth0-b:eth0 (rate 10mbit, loss 1%)", Assert.Single(info.Links));
        Assert.Contains("rate 10mbit, loss 1%", LabExporter.Export(info.Definition, LabExportFormat.Mermaid));
        Assert.Contains("rate 10mbit, loss 1%", LabExporter.Export(info.Definition, LabExportFormat.Dot));
        string json = LabExporter.Export(info.Definition, LabExportFormat.Json);
        Assert.Contains("\"Rate\": \"10mbit\"", json);
        Assert.Empty(LabDeployment.Plan(LabDefinitionReader.Read(DefinitionValue.FromJson(json))).Changes);

        var back = LabDeployment.Deploy(Read(Definition(lab.Name)));
        Assert.Equal(2, back.Changes.Count);
        Assert.True(LabImpairments.Current(a, "eth0")!.IsEmpty);
        Assert.True(LabImpairments.Current(b, "eth0")!.IsEmpty);
        Assert.Equal(identities, (Identity(a), Identity(b), Index(a), Index(b)));
        Assert.Empty(LabDeployment.Plan(Read(Definition(lab.Name))).Changes);
    }

    [RootFact]
    public void ANewLabLinkIsMadeImpairedAndADelayIsNetemNotAvailable()
    {
        using var lab = new LabDeploymentTests.TestLab();
        LabDeployment.Deploy(Read(Definition(lab.Name, new() { ["Rate"] = "5mbit" })));
        Assert.Equal("5mbit", LabImpairments.Current(lab.Ns("a"), "eth0")!.Rate);
        var e = Assert.Throws<NetNsException>(() => LabDeployment.Deploy(Read(Definition(lab.Name, new() { ["Rate"] = "5mbit", ["Delay"] = "20ms" }))));
        Assert.Equal(NetNsErrorReason.NetemNotAvailable, e.Reason);
        Assert.Equal("5mbit", LabImpairments.Current(lab.Ns("a"), "eth0")!.Rate);
    }

    // A network lan (198.18.91.0/24) with members a, b and c; memberKeys (if any) make c a member entry with keys.
    private static Dictionary<string, object?> NetworkDefinition(string name, Dictionary<string, object?>? networkKeys = null,
        Dictionary<string, object?>? memberKeys = null)
    {
        var network = new Dictionary<string, object?> { ["Subnet"] = "198.18.91.0/24" };
        foreach (var (k, v) in networkKeys ?? [])
            network[k] = v;
        object c = "c=198.18.91.30";
        if (memberKeys is not null)
        {
            var entry = new Dictionary<string, object?> { ["Node"] = "c", ["Address"] = "198.18.91.30" };
            foreach (var (k, v) in memberKeys)
                entry[k] = v;
            c = entry;
        }
        network["Members"] = new object[] { "a", "b", c };
        return new Dictionary<string, object?>
        {
            ["Name"] = name,
            ["Nodes"] = new Dictionary<string, object?>
            {
                ["a"] = new Dictionary<string, object?>(), ["b"] = new Dictionary<string, object?>(), ["c"] = new Dictionary<string, object?>(),
            },
            ["Networks"] = new Dictionary<string, object?> { ["lan"] = network },
        };
    }

    [Fact]
    public void NetworkAndMemberKeysAreReadAsImpairments()
    {
        var d = Read(NetworkDefinition("nt000001", new() { ["Rate"] = "10mbit" }, new() { ["Loss"] = 2L }));
        var lan = d.Networks[0];
        Assert.Equal(10_000_000UL, lan.ImpairmentOf(lan.Members[0])!.RateBitsPerSecond);
        var c = lan.Members[2];
        Assert.Equal(("c", "198.18.91.30"), (c.Node, Assert.Single(c.Pinned).ToString()));
        Assert.Equal((2.0, (ulong?)null), (lan.ImpairmentOf(c)!.Loss!.Value, lan.ImpairmentOf(c)!.RateBitsPerSecond));
        var e = Assert.Throws<NetNsException>(() => Read(NetworkDefinition("nt000001", memberKeys: new() { ["Loss"] = 200L })));
        Assert.Contains("Networks.lan.Members[2].Loss", e.Message);
        e = Assert.Throws<NetNsException>(() => Read(NetworkDefinition("nt000001", memberKeys: new() { ["Speed"] = 1L })));
        Assert.Contains("unknown key 'Speed'", e.Message);
        e = Assert.Throws<NetNsException>(() => Read(NetworkDefinition("nt000001", new() { ["Jitter"] = "5ms" })));
        Assert.Contains("Networks.lan.Jitter", e.Message);
    }

    [RootFact]
    public void NetworkMembersConvergeToTheirImpairmentOnBothEndsAndBackKeepingIdentities()
    {
        using var lab = new LabDeploymentTests.TestLab();
        LabDeployment.Deploy(Read(NetworkDefinition(lab.Name)));
        string a = lab.Ns("a"), c = lab.Ns("c"), lan = lab.Ns("lan");
        var identities = (Identity(a), Identity(c), Identity(lan), Index(a, "lan"), Index(c, "lan"), Index(lan, "c"));

        // the network's rate for every member; c's own loss instead for c: 3 members x 2 ends
        var want = NetworkDefinition(lab.Name, new() { ["Rate"] = "10mbit" }, new() { ["Loss"] = 5L });
        var impaired = LabDeployment.Deploy(Read(want));
        Assert.Equal(6, impaired.Changes.Count);
        Assert.All(impaired.Changes, ch => Assert.Equal((LabChangeAction.Set, LabObjectKind.Impairment), (ch.Action, ch.Kind)));
        Assert.Equal("10mbit", LabImpairments.Current(a, "lan")!.Rate);
        Assert.Equal("10mbit", LabImpairments.Current(lan, "a")!.Rate);
        Assert.Contains("rate 10Mbit", Lab.Run("ip", "netns", "exec", lan, "tc", "qdisc", "show", "dev", "b").Out);
        foreach (var (ns, link) in new[] { (c, "lan"), (lan, "c") })
        {
            var got = LabImpairments.Current(ns, link)!;
            Assert.Equal((5.0, (ulong?)null), (got.Loss!.Value, got.RateBitsPerSecond));
        }
        Assert.Equal(identities, (Identity(a), Identity(c), Identity(lan), Index(a, "lan"), Index(c, "lan"), Index(lan, "c")));
        Assert.Empty(LabDeployment.Plan(Read(want)).Changes);

        // Get-NetNsLab and Export show it per member, and the export deploys back to no change
        var info = LabInfo.Read(lab.Name)!;
        Assert.Equal("lan (a: rate 10mbit; b: rate 10mbit; c: loss 5%)", Assert.Single(info.Networks));
        Assert.Contains("lan<br/>rate 10mbit", LabExporter.Export(info.Definition, LabExportFormat.Mermaid));
        Assert.Contains("lan\\nloss 5%", LabExporter.Export(info.Definition, LabExportFormat.Dot));
        string json = LabExporter.Export(info.Definition, LabExportFormat.Json);
        Assert.Contains("\"Node\": \"c\"", json);
        Assert.Empty(LabDeployment.Plan(LabDefinitionReader.Read(DefinitionValue.FromJson(json))).Changes);

        var back = LabDeployment.Deploy(Read(NetworkDefinition(lab.Name)));
        Assert.Equal(6, back.Changes.Count);
        Assert.True(LabImpairments.Current(c, "lan")!.IsEmpty);
        Assert.True(LabImpairments.Current(lan, "a")!.IsEmpty);
        Assert.Equal(identities, (Identity(a), Identity(c), Identity(lan), Index(a, "lan"), Index(c, "lan"), Index(lan, "c")));
        Assert.Empty(LabDeployment.Plan(Read(NetworkDefinition(lab.Name))).Changes);
    }

    private static int Index(string ns, string link)
    {
        using var h = NetlinkHandle.Open(NamespaceRef.FromName(ns));
        return h.GetLinkIndex(link);
    }

    private static FileIdentity Identity(string ns)
    {
        using var h = NamespaceHandle.OpenName(ns);
        return h.Identity;
    }

    private static int Index(string ns)
    {
        using var h = NetlinkHandle.Open(NamespaceRef.FromName(ns));
        return h.GetLinkIndex("eth0");
    }
}
