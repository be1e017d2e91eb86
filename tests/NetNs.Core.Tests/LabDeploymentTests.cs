using System.Net;
using NetNs.Core.Interop;

namespace NetNs.Core.Tests;

/// <summary>Labs on the real kernel: deploy, converge, read back from tags, test, remove; every lab removed on Dispose.</summary>
public class LabDeploymentTests
{
    /// <summary>A unique lab name ("nt" + 6 hex) whose namespaces are all deleted on Dispose, whatever the test did.</summary>
    internal sealed class TestLab : IDisposable
    {
        public string Name { get; } = "nt" + Guid.NewGuid().ToString("N")[..6];

        public string Ns(string member) => Name + "-" + member;

        public void Dispose()
        {
            foreach (string ns in NamedNamespaces.ListNames().Where(n => n.StartsWith(Name + "-", StringComparison.Ordinal)))
            {
                try
                {
                    NamedNamespaces.Delete(ns);
                }
                catch (NetNsException)
                {
                    Lab.Run("ip", "netns", "delete", ns);
                }
            }
        }
    }

    private static LabDefinition Read(Dictionary<string, object?> d) => LabDefinitionReader.Read(DefinitionValue.FromObject(d));

    private static Dictionary<string, object?> Map(Dictionary<string, object?> d, string key) => (Dictionary<string, object?>)d[key]!;

    private static Dictionary<string, object?> Dual(string name)
    {
        var d = LabDefinitionTests.Edge(name);
        Map(Map(d, "Networks"), "lan")["Subnet"] = new[] { "198.18.40.0/24", "2001:db8:40::/64" };
        Map(Map(d, "Nodes"), "wan")["Routes"] = new Dictionary<string, object?> { ["198.18.40.0/24"] = "198.18.41.1" };
        return d;
    }

    private static FileIdentity Identity(string ns)
    {
        using var h = NamespaceHandle.OpenName(ns);
        return h.Identity;
    }

    [RootFact]
    public void DeployMakesTheLabAndGetRebuildsItFromTheKernel()
    {
        using var lab = new TestLab();
        var result = LabDeployment.Deploy(Read(Dual(lab.Name)));
        Assert.NotEmpty(result.Changes);

        Assert.Contains("198.18.40.1/24", Ip.Addresses(lab.Ns("r1"), "lan").Keys);
        Assert.Contains("2001:db8:40::2/64", Ip.Addresses(lab.Ns("h1"), "lan").Keys);
        Assert.Equal("bridge", Ip.Links(lab.Ns("lan"))["lan"].Kind());
        Assert.Contains(Ip.Routes(lab.Ns("h1")), r => r.Str("dst") == "default" && r.Str("gateway") == "198.18.40.1");
        Assert.Equal("1", Lab.Run("ip", "netns", "exec", lab.Ns("r1"), "cat", "/proc/sys/net/ipv4/ip_forward").Out.Trim());

        var info = LabInfo.Read(lab.Name)!;
        Assert.Equal(["h1", "h2", "r1", "wan"], info.Nodes);
        Assert.Equal(["lan"], info.Networks);
        Assert.Equal(["r1:wan0-wan:eth0"], info.Links);
        Assert.Contains(info.Addresses, a => a.Node == "h2" && a.IPAddress == "198.18.40.20");
        Assert.Contains(lab.Name, RunningLabReader.ListLabs());

        // What was read back deploys to no change.
        Assert.Empty(LabDeployment.Plan(info.Definition).Changes);
    }

    [RootFact]
    public void TheMatrixReachesEveryExpectedAddressInProcess()
    {
        using var lab = new TestLab();
        LabDeployment.Deploy(Read(Dual(lab.Name)));
        var cells = ReachabilityMatrix.TestAsync(RunningLabReader.Read(lab.Name)).GetAwaiter().GetResult();
        Assert.Contains(cells, c => c.From == "h1" && c.Address == "2001:db8:40::3"); // h2's IPv6 address, given after h1
        Assert.Contains(cells, c => c.From == "wan" && c.Address == "198.18.40.2"); // through r1, via wan's static route
        Assert.All(cells, c => Assert.True(c.Success, c.ToString()));
    }

    [RootFact]
    public void AnUnchangedDefinitionChangesNothingAndKeepsTheNamespaces()
    {
        using var lab = new TestLab();
        var d = Read(Dual(lab.Name));
        LabDeployment.Deploy(d);
        var before = RunningLabReader.Read(lab.Name).Namespaces.ToDictionary(n => n.Name, n => Identity(n.Name));

        var again = LabDeployment.Deploy(d);

        Assert.Empty(again.Changes);
        Assert.All(before, kv => Assert.Equal(kv.Value, Identity(kv.Key)));
    }

    [RootFact]
    public void AddingANodeAndALinkAddsOnlyThem()
    {
        using var lab = new TestLab();
        var d = Dual(lab.Name);
        LabDeployment.Deploy(Read(d));
        var before = RunningLabReader.Read(lab.Name).Namespaces.ToDictionary(n => n.Name, n => Identity(n.Name));

        Map(d, "Nodes")["h3"] = new Dictionary<string, object?>();
        d["Links"] = new object[]
        {
            new Dictionary<string, object?> { ["Endpoints"] = new[] { "r1:wan0", "wan:eth0" }, ["Subnet"] = "198.18.41.0/30" },
            new Dictionary<string, object?> { ["Endpoints"] = new[] { "h3:p0", "wan:p3" }, ["Subnet"] = "198.18.43.0/30" },
        };
        var result = LabDeployment.Deploy(Read(d));

        Assert.All(result.Changes, c => Assert.Equal(LabChangeAction.Add, c.Action));
        Assert.Equal([lab.Ns("h3")], result.Changes.Where(c => c.Kind == LabObjectKind.Namespace).Select(c => c.Target));
        Assert.Equal(["p0"], result.Changes.Where(c => c.Kind == LabObjectKind.Veth).Select(c => c.Target));
        Assert.All(before, kv => Assert.Equal(kv.Value, Identity(kv.Key)));
        Assert.True(Lab.Ping(lab.Ns("h3"), "198.18.43.2"));
    }

    [RootFact]
    public void RenamingANetworksInterfaceConvergesInOneDeployWithTheMembersRoutes()
    {
        using var lab = new TestLab();
        var d = Dual(lab.Name);
        LabDeployment.Deploy(Read(d));

        Map(Map(d, "Networks"), "lan")["Interface"] = "eth1"; // every member's veth is made again under the new name
        LabDeployment.Deploy(Read(d));

        Assert.Contains(Ip.Routes(lab.Ns("h1")), r => r.Str("dst") == "default" && r.Str("gateway") == "198.18.40.1" && r.Str("dev") == "eth1");
        Assert.Contains(Ip.Routes(lab.Ns("h1"), v6: true), r => r.Str("dst") == "default" && r.Str("dev") == "eth1");
        Assert.Empty(LabDeployment.Plan(Read(d)).Changes);
        Assert.True(Lab.Ping(lab.Ns("h1"), "198.18.41.2")); // wan, through r1: the default route is really there
    }

    [RootFact]
    public void MovingAMemberToAnotherNetworkConvergesInOneDeployAndTheRenumberedKeepTheirRoutes()
    {
        using var lab = new TestLab();
        Dictionary<string, object?> Net(string subnet, params string[] members) =>
            new() { ["Subnet"] = subnet, ["Members"] = members, ["Gateway"] = "r1" };
        var d = new Dictionary<string, object?>
        {
            ["Name"] = lab.Name,
            ["Nodes"] = new Dictionary<string, object?>
            {
                ["r1"] = new Dictionary<string, object?> { ["Forwarding"] = true },
                ["h1"] = null, ["h2"] = null, ["wan"] = null,
            },
            ["Networks"] = new Dictionary<string, object?>
            {
                ["lan"] = Net("198.18.70.0/24", "r1", "h1", "h2"), // h2 is .3
                ["dmz"] = Net("198.18.72.0/24", "r1", "wan"),
            },
        };
        LabDeployment.Deploy(Read(d));
        Assert.True(Lab.Ping(lab.Ns("r1"), "198.18.70.2")); // r1 learns h1's MAC for .2, the address h2 takes next

        Map(d, "Networks")["lan"] = Net("198.18.70.0/24", "r1", "h2"); // h2 becomes .2: its old address goes, and
        Map(d, "Networks")["dmz"] = Net("198.18.72.0/24", "r1", "wan", "h1"); // with it (IPv4) its default route
        LabDeployment.Deploy(Read(d));

        Assert.Contains("198.18.70.2/24", Ip.Addresses(lab.Ns("h2"), "lan").Keys);
        Assert.Contains(Ip.Routes(lab.Ns("h2")), r => r.Str("dst") == "default" && r.Str("gateway") == "198.18.70.1");
        Assert.Contains(Ip.Routes(lab.Ns("h1")), r => r.Str("dst") == "default" && r.Str("gateway") == "198.18.72.1");
        Assert.Empty(LabDeployment.Plan(Read(d)).Changes);
        Assert.True(Lab.Ping(lab.Ns("r1"), "198.18.70.2")); // at once: r1 forgot h1's MAC for .2, now h2's address
        Assert.True(Lab.Ping(lab.Ns("h2"), "198.18.72.3")); // h2 to h1, through r1
    }

    [RootFact]
    public void RemovingAMemberRemovesOnlyIt()
    {
        using var lab = new TestLab();
        var d = Dual(lab.Name);
        LabDeployment.Deploy(Read(d));
        var before = Identity(lab.Ns("h1"));

        Map(Map(d, "Networks"), "lan")["Members"] = new[] { "r1", "h1" };
        Map(d, "Nodes").Remove("h2");
        var result = LabDeployment.Deploy(Read(d));

        Assert.Equal([(LabChangeAction.Remove, LabObjectKind.Veth, "h2"), (LabChangeAction.Remove, LabObjectKind.Namespace, lab.Ns("h2"))],
            result.Changes.Select(c => (c.Action, c.Kind, c.Target)));
        Assert.False(NamedNamespaces.Exists(lab.Ns("h2")));
        Assert.DoesNotContain("h2", Ip.LinkNames(lab.Ns("lan"))); // its port went with its namespace
        Assert.Equal(before, Identity(lab.Ns("h1")));
        Assert.True(Lab.Ping(lab.Ns("h1"), "198.18.40.1"));
    }

    [RootFact]
    public void AStepThatFailsHalfwayRollsBackEverythingTheDeployMade()
    {
        using var lab = new TestLab();
        var d = Dual(lab.Name);
        Map(Map(d, "Nodes"), "h2")["Sysctls"] = new Dictionary<string, object?> { ["net.ipv4.conf.nosuchif.forwarding"] = "1" };

        var e = Assert.Throws<NetNsException>(() => LabDeployment.Deploy(Read(d)));

        Assert.Equal(NetNsErrorReason.SysctlNotFound, e.Reason);
        Assert.DoesNotContain(NamedNamespaces.ListNames(), n => n.StartsWith(lab.Name + "-", StringComparison.Ordinal));
    }

    [RootFact]
    public void RemoveTakesAHalfMadeLabAndLeavesUntaggedNamespacesAlone()
    {
        using var lab = new TestLab();
        LabDeployment.Deploy(Read(Dual(lab.Name)));
        // A crash mid-way: one node never made, one veth missing; and a namespace with the prefix the lab did not make.
        NamedNamespaces.Delete(lab.Ns("h1"));
        using (var r1 = NetlinkHandle.Open(NamespaceHandle.OpenName(lab.Ns("r1")), ownsNamespace: true))
            r1.DeleteLink("wan0");
        NamedNamespaces.Create(lab.Ns("other"));

        var removed = LabDeployment.Remove(lab.Name, out var leftAlone);

        Assert.Equal([lab.Ns("h2"), lab.Ns("lan"), lab.Ns("r1"), lab.Ns("wan")], removed.Order(StringComparer.Ordinal));
        Assert.Equal([lab.Ns("other")], leftAlone);
        Assert.True(NamedNamespaces.Exists(lab.Ns("other")));
        Assert.Null(LabInfo.Read(lab.Name));
    }

    [RootFact]
    public void TwoLabsSideBySideNeverTouchEachOther()
    {
        using var a = new TestLab();
        using var b = new TestLab();
        LabDeployment.Deploy(Read(Dual(a.Name)));
        LabDeployment.Deploy(Read(Dual(b.Name))); // the same addresses, in other namespaces
        var bBefore = RunningLabReader.Read(b.Name).Namespaces.ToDictionary(n => n.Name, n => Identity(n.Name));

        LabDeployment.Remove(a.Name, out _);

        Assert.Null(LabInfo.Read(a.Name));
        Assert.All(bBefore, kv => Assert.Equal(kv.Value, Identity(kv.Key)));
        Assert.Empty(LabDeployment.Plan(Read(Dual(b.Name))).Changes);
    }

    [RootFact]
    public void ALabsNetworkIsANetworkTheNetworkEngineListsAndLeavesToTheLab()
    {
        using var lab = new TestLab();
        LabDeployment.Deploy(Read(LabDefinitionTests.Edge(lab.Name)));
        string lanNs = lab.Ns("lan");

        using (var networks = NetworkManager.Open(NamespaceRef.FromName(lanNs)))
        {
            var lan = Assert.Single(networks.List());
            Assert.Equal(("lan", lanNs, lab.Name), (lan.Name, lan.Namespace, lan.Lab));
            Assert.Equal([IPPrefix.Parse("198.18.40.0/24")], lan.Subnet);
            Assert.Equal([IPAddress.Parse("198.18.40.1")], lan.Gateway); // r1's, the gateway member's first address
            Assert.Equal([lab.Ns("h1"), lab.Ns("h2"), lab.Ns("r1")], lan.Members.Select(m => m.Namespace));
            var h2 = lan.Members.Single(m => m.Namespace == lab.Ns("h2"));
            Assert.Equal(("lan", "h2", "198.18.40.20/24"), (h2.InterfaceAlias, h2.BridgePort, Assert.Single(h2.IPAddress).ToString()));

            // changed by its lab only: the imperative verbs refuse, naming the lab, and change nothing
            using var other = NamespaceHandle.OpenName(lab.Ns("wan"));
            foreach (var act in new Action[] { () => networks.Connect("lan", other), () => networks.Remove("lan"), () => networks.Disconnect("lan", other) })
            {
                var e = Assert.Throws<NetNsException>(act);
                Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
                Assert.Contains($"belongs to lab '{lab.Name}'", e.Message);
            }
            var create = Assert.Throws<NetNsException>(() => networks.Create(new NetworkSpec { Name = "lan", Subnets = [IPPrefix.Parse("198.18.42.0/24")] }));
            Assert.Equal(NetNsErrorReason.NetworkExists, create.Reason);
            Assert.Contains($"(lab '{lab.Name}')", create.Message);
        }
        Assert.Contains(NetworkManager.ListAll(), n => n.Namespace == lanNs && n.Lab == lab.Name);
        Assert.Empty(LabDeployment.Plan(Read(LabDefinitionTests.Edge(lab.Name))).Changes);
    }

    [RootFact]
    public void NatMasqueradesTheLanOutOfTheUplinkAndConvergesAway()
    {
        using var lab = new TestLab();
        var d = LabDefinitionTests.Edge(lab.Name);
        d["Nat"] = new Dictionary<string, object?> { ["r1"] = "wan0" };
        LabDeployment.Deploy(Read(d));
        var wanAddress = IPAddress.Parse("198.18.41.2");
        using var h1 = NamespaceHandle.OpenName(lab.Ns("h1"));
        using var wan = NamespaceHandle.OpenName(lab.Ns("wan"));
        using var r1 = NamespaceHandle.OpenName(lab.Ns("r1"));

        // wan has no route back to the LAN: the connection works only through the masquerade.
        using (var listener = NetworkTests.Listen(wan, wanAddress, 7101))
            Assert.Equal(IPAddress.Parse("198.18.41.1"), NetworkTests.SourceSeenAsync(listener, h1, wanAddress, 7101).GetAwaiter().GetResult());
        using (var table = new NatTable(r1))
        {
            // the rule says it is the lab's (one NAT path with networks: the owner in the rule's comment)
            var rule = Assert.Single(table.List(), r => r.Kind == NatRuleKind.Masquerade && r.OutputInterface == "wan0" && r.SourcePrefix == IPPrefix.Parse("198.18.40.0/24"));
            Assert.Equal((lab.Name, (string?)null), (rule.Lab, rule.Network));
        }
        Assert.Contains(RunningLabReader.Read(lab.Name).Nat, n => n.Node == lab.Ns("r1") && n.Interface == "wan0");
        Assert.Empty(LabDeployment.Plan(Read(d)).Changes);
        Assert.Equal(new LabNatDefinition("r1", "wan0"), Assert.Single(LabInfo.ToDefinition(RunningLabReader.Read(lab.Name)).Nat));

        d.Remove("Nat");
        var plan = LabDeployment.Plan(Read(d));
        var change = Assert.Single(plan.Changes);
        Assert.Equal((LabChangeAction.Remove, LabObjectKind.Nat, "wan0"), (change.Action, change.Kind, change.Target));
        LabDeployment.Apply(plan);
        using (var table = new NatTable(r1))
            Assert.Empty(table.List());
        using (var listener = NetworkTests.Listen(wan, wanAddress, 7102))
            Assert.Null(NetworkTests.SourceSeenAsync(listener, h1, wanAddress, 7102).GetAwaiter().GetResult());
        Assert.Empty(LabDeployment.Plan(Read(d)).Changes);
    }
}
