using NetNs.Core.Interop;

namespace NetNs.Core.Tests;

/// <summary>
/// A running container's network namespace as a lab node (Docker, `--network none`): attached under the lab's name,
/// reachable, converged, and given back on removal with only what the lab put in taken out.
/// </summary>
public sealed class LabContainerTests
{
    private static LabDefinition Read(Dictionary<string, object?> d) => LabDefinitionReader.Read(DefinitionValue.FromObject(d));

    // h1 routes for the lan (r1, web: the container, h2); wan hangs off r1 on a link; web also has a link of its own to h2.
    private static Dictionary<string, object?> WithContainer(string lab, string container) => new()
    {
        ["Name"] = lab,
        ["Nodes"] = new Dictionary<string, object?>
        {
            ["r1"] = new Dictionary<string, object?> { ["Forwarding"] = true },
            ["web"] = new Dictionary<string, object?> { ["Container"] = container },
            ["h2"] = new Dictionary<string, object?>(),
        },
        ["Networks"] = new Dictionary<string, object?>
        {
            ["lan"] = new Dictionary<string, object?> { ["Subnet"] = "198.18.60.0/24", ["Members"] = new[] { "r1", "web", "h2" }, ["Gateway"] = "r1" },
        },
        ["Links"] = new object[]
        {
            new Dictionary<string, object?> { ["Endpoints"] = new[] { "web:side0", "h2:side0" }, ["Subnet"] = "198.18.61.0/30" },
        },
    };

    private static int Pid(string container) => int.Parse(Lab.Run("docker", "inspect", "-f", "{{.State.Pid}}", container).Out.Trim());

    private static NetlinkHandle OpenContainer(string container) =>
        NetlinkHandle.Open(NamespaceHandle.OpenPath($"/proc/{Pid(container)}/ns/net"), ownsNamespace: true);

    [DockerFact]
    public void AContainerJoinsTheLabAndIsGivenBackAsItWasOnRemoval()
    {
        using var c = new ContainerTests.Container();
        using var lab = new LabDeploymentTests.TestLab();
        FileIdentity before;
        using (var h = OpenContainer(c.Name))
            before = h.Namespace!.Identity;

        LabDeployment.Deploy(Read(WithContainer(lab.Name, c.Name)));

        // The node is the container's own namespace, under the lab's name, with the lab's interfaces and routes.
        using (var attached = NamespaceHandle.OpenName(lab.Ns("web")))
            Assert.Equal(before, attached.Identity);
        Assert.Contains("198.18.60.2/24", Ip.Addresses(lab.Ns("web"), "lan").Keys);
        Assert.Contains("198.18.61.1/30", Ip.Addresses(lab.Ns("web"), "side0").Keys);
        Assert.Contains(Ip.Routes(lab.Ns("web")), r => r.Str("dst") == "default" && r.Str("gateway") == "198.18.60.1");
        var model = RunningLabReader.Read(lab.Name);
        Assert.Equal(c.Name, Assert.Single(model.Namespaces, n => n.Member == "web").Container);
        var cells = ReachabilityMatrix.TestAsync(model).GetAwaiter().GetResult();
        Assert.Contains(cells, x => x.From == "web" && x.To == "h2");
        Assert.All(cells, x => Assert.True(x.Success, $"{x.From} -> {x.To} {x.Address}: {x.Status}"));
        Assert.Empty(LabDeployment.Plan(Read(WithContainer(lab.Name, c.Name))).Changes); // unchanged: nothing to do
        Assert.Equal(c.Name, LabInfo.FromModel(model).Definition.Node("web")!.Container); // and it exports so

        var removed = LabDeployment.Remove(lab.Name, out var leftAlone);

        Assert.Contains(lab.Ns("web"), removed);
        Assert.Empty(leftAlone);
        Assert.False(NamedNamespaces.Exists(lab.Ns("web")));
        Assert.Equal("running", Lab.Run("docker", "inspect", "-f", "{{.State.Status}}", c.Name).Out.Trim());
        using (var h = OpenContainer(c.Name))
        {
            Assert.Equal(before, h.Namespace!.Identity);
            var links = h.GetLinks();
            Assert.Equal(["lo"], links.Select(l => l.Name).ToArray()); // the lab's veths went with their addresses
            Assert.True(string.IsNullOrEmpty(links[0].Alias), $"the loopback kept the label '{links[0].Alias}'");
            Assert.DoesNotContain(h.GetRoutes(IPAddressFamily.IPv4), r => r.Table == 254);
        }
    }

    [DockerFact]
    public void ARestartedContainersNewNamespaceIsAttachedAgainByTheNextDeploy()
    {
        using var c = new ContainerTests.Container();
        using var lab = new LabDeploymentTests.TestLab();
        var d = Read(WithContainer(lab.Name, c.Name));
        LabDeployment.Deploy(d);
        Assert.Equal(0, Lab.Run("docker", "restart", "-t", "0", c.Name).Code);

        var plan = LabDeployment.Plan(d);
        Assert.Contains(plan.Changes, x => x is { Kind: LabObjectKind.Namespace, Action: LabChangeAction.Remove } && x.Target == lab.Ns("web"));
        LabDeployment.Apply(plan);

        using (var h = OpenContainer(c.Name))
        using (var attached = NamespaceHandle.OpenName(lab.Ns("web")))
            Assert.Equal(h.Namespace!.Identity, attached.Identity);
        Assert.Contains("198.18.60.2/24", Ip.Addresses(lab.Ns("web"), "lan").Keys);
        Assert.Empty(LabDeployment.Plan(d).Changes);
        var cells = ReachabilityMatrix.TestAsync(RunningLabReader.Read(lab.Name)).GetAwaiter().GetResult();
        Assert.All(cells, x => Assert.True(x.Success, $"{x.From} -> {x.To} {x.Address}: {x.Status}"));
        LabDeployment.Remove(lab.Name, out _);
        Assert.DoesNotContain(NamedNamespaces.ListNames(), n => n.StartsWith(lab.Name + "-", StringComparison.Ordinal));
    }

    [DockerFact]
    public void ANodeTurnedIntoAContainerAndBackConvergesEachTime()
    {
        using var c = new ContainerTests.Container();
        using var lab = new LabDeploymentTests.TestLab();
        var asContainer = WithContainer(lab.Name, c.Name);
        var asNode = WithContainer(lab.Name, c.Name);
        ((Dictionary<string, object?>)asNode["Nodes"]!)["web"] = null;
        LabDeployment.Deploy(Read(asNode));
        for (int round = 0; round < 3; round++)
        {
            foreach (var d in new[] { asContainer, asNode })
            {
                // The namespace that goes takes its veths with it only later (the kernel destroys it asynchronously):
                // the new veths' names at their staying ends must be free already.
                LabDeployment.Deploy(Read(d));
                Assert.Empty(LabDeployment.Plan(Read(d)).Changes);
                var cells = ReachabilityMatrix.TestAsync(RunningLabReader.Read(lab.Name)).GetAwaiter().GetResult();
                Assert.All(cells, x => Assert.True(x.Success, $"round {round}: {x.From} -> {x.To} {x.Address}: {x.Status}"));
            }
        }
        using var h = OpenContainer(c.Name);
        Assert.Equal(["lo"], h.GetLinks().Select(l => l.Name).ToArray()); // the lab's links went when it became a node again
    }

    [DockerFact]
    public void AStoppedContainerIsReportedAndTheLabStillRemoved()
    {
        using var c = new ContainerTests.Container();
        using var lab = new LabDeploymentTests.TestLab();
        LabDeployment.Deploy(Read(WithContainer(lab.Name, c.Name)));
        Assert.Equal(0, Lab.Run("docker", "stop", "-t", "0", c.Name).Code);

        var e = Assert.Throws<NetNsException>(() => LabDeployment.Plan(Read(WithContainer(lab.Name, c.Name))));

        Assert.Equal(NetNsErrorReason.NamespaceNotFound, e.Reason);
        Assert.Contains("is not running any more", e.Message);
        LabDeployment.Remove(lab.Name, out _); // the old namespace, kept only by the lab's name, goes with it
        Assert.DoesNotContain(NamedNamespaces.ListNames(), n => n.StartsWith(lab.Name + "-", StringComparison.Ordinal));
    }

    [DockerFact]
    public void AContainerWithALabelledLoopbackIsNotAttachedAndTheDeployRollsBack()
    {
        using var c = new ContainerTests.Container();
        using var lab = new LabDeploymentTests.TestLab();
        using (var h = OpenContainer(c.Name))
            h.SetLinkAlias("lo", "someone else's");

        var e = Assert.Throws<NetNsException>(() => LabDeployment.Deploy(Read(WithContainer(lab.Name, c.Name))));

        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Contains("someone else's", e.Message);
        Assert.DoesNotContain(NamedNamespaces.ListNames(), n => n.StartsWith(lab.Name + "-", StringComparison.Ordinal));
        using var after = OpenContainer(c.Name);
        Assert.Equal("someone else's", after.GetLink("lo").Alias); // left as it was
    }

    [RootFact]
    public void ANodeNamingNoRunningContainerFailsAndLeavesNothing()
    {
        using var lab = new LabDeploymentTests.TestLab();

        var e = Assert.Throws<NetNsException>(() => LabDeployment.Deploy(Read(WithContainer(lab.Name, "nt-no-such-container"))));

        Assert.Equal(NetNsErrorReason.NamespaceNotFound, e.Reason);
        Assert.Contains("nt-no-such-container", e.Message);
        Assert.DoesNotContain(NamedNamespaces.ListNames(), n => n.StartsWith(lab.Name + "-", StringComparison.Ordinal));
    }
}
