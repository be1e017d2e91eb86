using NetNs.Core.Interop;

namespace NetNs.Core.Tests;

/// <summary>
/// Issue 18: what a deploy killed mid-way leaves (made here by hand, state by state) is finished by the next deploy or
/// removed by Remove; a namespace with the lab's prefix that the lab did not make is still never touched. The kill
/// itself, at six moments of a 50-node deploy, is tests/pester/LabCrashSafety.Tests.ps1.
/// </summary>
public class LabCrashTests
{
    private static LabDefinition Edge(string name) => LabDefinitionReader.Read(DefinitionValue.FromObject(LabDefinitionTests.Edge(name)));

    // What a creation killed between making the name's file and binding its namespace leaves: an empty file, mode 0.
    private static void StaleMountPoint(string ns)
    {
        int fd = Libc.open(NamedNamespaces.PathOf(ns), Libc.O_RDONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0);
        Assert.True(fd >= 0);
        Libc.close(fd);
    }

    [RootFact]
    public void LinksADeployWasKilledBeforeTaggingAreTakenOverByTheNextDeploy()
    {
        using var lab = new LabDeploymentTests.TestLab();
        LabDeployment.Deploy(Edge(lab.Name));
        // Killed before the bridge came up with its tag (it is tagged as it comes up, last) ...
        Ip.Must("-n", lab.Ns("lan"), "link", "set", "lan", "down");
        Ip.Must("-n", lab.Ns("lan"), "link", "set", "lan", "alias", "");
        // ... before the second end of a veth got its tag (and so before any address was put on it) ...
        Ip.Must("-n", lab.Ns("wan"), "link", "set", "eth0", "down");
        Ip.Must("-n", lab.Ns("wan"), "link", "set", "eth0", "alias", "");
        Ip.Must("-n", lab.Ns("wan"), "addr", "flush", "dev", "eth0");
        Ip.Must("-n", lab.Ns("r1"), "addr", "flush", "dev", "wan0");
        // ... and right after a veth was made, before anything else was done to it.
        Ip.Must("-n", lab.Ns("h1"), "link", "del", "lan");
        Ip.Must("-n", lab.Ns("h1"), "link", "add", "lan", "type", "veth", "peer", "name", "h1", "netns", lab.Ns("lan"));

        var again = LabDeployment.Deploy(Edge(lab.Name));

        Assert.Contains(again.Changes, c => c is { Kind: LabObjectKind.Bridge, Action: LabChangeAction.Add });
        Assert.Empty(LabDeployment.Plan(Edge(lab.Name)).Changes);
        Assert.Contains("UP", Ip.Links(lab.Ns("lan"))["lan"].Flags());
        Assert.Contains("UP", Ip.Links(lab.Ns("wan"))["eth0"].Flags());
        Assert.True(Lab.Ping(lab.Ns("h1"), "198.18.40.1"));
        Assert.True(Lab.Ping(lab.Ns("h1"), "198.18.40.20"));
        Assert.True(Lab.Ping(lab.Ns("wan"), "198.18.41.1"));
        Assert.Equal(5, LabDeployment.Remove(lab.Name, out var leftAlone).Count);
        Assert.Empty(leftAlone);
    }

    [RootFact]
    public void StaleMountPointsWithTheLabsPrefixAreTakenOverOrRemovedByTheNextDeploy()
    {
        using var lab = new LabDeploymentTests.TestLab();
        StaleMountPoint(lab.Ns("h1")); // a name the lab makes
        StaleMountPoint(lab.Ns("gone")); // a name it does not

        LabDeployment.Deploy(Edge(lab.Name));

        Assert.False(NamedNamespaces.Exists(lab.Ns("gone")));
        Assert.Contains(RunningLabReader.Read(lab.Name, LabReadDetail.Namespaces).Namespaces, n => n.Name == lab.Ns("h1"));
        Assert.True(Lab.Ping(lab.Ns("h1"), "198.18.40.1"));

        LabDeployment.Remove(lab.Name, out _);
        StaleMountPoint(lab.Ns("h2"));
        Assert.Equal([lab.Ns("h2")], LabDeployment.Remove(lab.Name, out _));
        Assert.DoesNotContain(NamedNamespaces.ListNames(), n => n.StartsWith(lab.Name + "-", StringComparison.Ordinal));
    }

    [RootFact]
    public void ANamespaceWithTheLabsPrefixThatTheLabDidNotMakeIsRefusedAndLeftAlone()
    {
        using var lab = new LabDeploymentTests.TestLab();
        NamedNamespaces.Create(lab.Ns("other"));

        var e = Assert.Throws<NetNsException>(() => LabDeployment.Deploy(Edge(lab.Name)));

        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Equal([lab.Ns("other")], NamedNamespaces.ListNames().Where(n => n.StartsWith(lab.Name + "-", StringComparison.Ordinal)));
        Assert.Empty(LabDeployment.Remove(lab.Name, out var leftAlone));
        Assert.Equal([lab.Ns("other")], leftAlone);
        Assert.True(NamedNamespaces.Exists(lab.Ns("other")));
    }

    [RootFact]
    public void EveryNamespaceCarriesTheLabsTagTheMomentItsNameExists()
    {
        // Watch /run/netns while a lab is deployed: each namespace, when first seen, already carries its tag.
        using var lab = new LabDeploymentTests.TestLab();
        var d = LabDefinitionTests.Edge(lab.Name);
        var nodes = (Dictionary<string, object?>)d["Nodes"]!;
        for (int i = 0; i < 30; i++)
            nodes["x" + i] = new Dictionary<string, object?>();
        var untagged = new List<string>();
        int looked = 0;
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(() =>
        {
            var seen = new HashSet<string>();
            while (!stop.IsCancellationRequested)
            {
                foreach (string ns in NamedNamespaces.ListNames().Where(n => n.StartsWith(lab.Name + "-", StringComparison.Ordinal) && seen.Add(n)))
                {
                    try
                    {
                        using var h = NamespaceHandle.OpenName(ns);
                        looked++;
                        if (NetlinkHandle.ReadLoopbackAliases([h], out _)[0] is not { Length: > 0 })
                            untagged.Add(ns);
                    }
                    catch (NetNsException)
                    {
                        seen.Remove(ns); // the file is there, its namespace not yet bound: look again
                    }
                }
            }
        });

        LabDeployment.Deploy(LabDefinitionReader.Read(DefinitionValue.FromObject(d)));
        stop.Cancel();
        watcher.Wait();

        Assert.True(looked > 0);
        Assert.Empty(untagged);
    }
}
