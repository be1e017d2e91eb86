using System.Net;

namespace NetNs.Core.Tests;

/// <summary>
/// The parts of a lab across hosts on the real kernel: two "hosts" (namespaces joined by a veth, 198.18.250.0/24),
/// each part deployed from a thread in its host's namespace (where the VXLAN's UDP socket then lives). Both parts
/// share this machine's /run/netns, so host b's part is deployed under another lab name.
/// </summary>
public class LabVxlanTests
{
    private sealed class Hosts : IDisposable
    {
        public readonly Lab Lab = new();
        public readonly string A;
        public readonly string B;

        public Hosts()
        {
            A = Lab.Namespace();
            B = Lab.Namespace();
            Ip.Must("-n", A, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", B);
            Ip.Must("-n", A, "addr", "add", "198.18.250.2/24", "dev", "eth0");
            Ip.Must("-n", B, "addr", "add", "198.18.250.3/24", "dev", "eth0");
            foreach (string ns in new[] { A, B })
            {
                Ip.Must("-n", ns, "link", "set", "eth0", "up");
                Ip.Must("-n", ns, "link", "set", "lo", "up");
            }
        }

        public void Dispose() => Lab.Dispose();
    }

    private static T In<T>(string hostNs, Func<T> f)
    {
        using var h = NamespaceHandle.OpenName(hostNs);
        return NamespaceThread.Run(h, f);
    }

    [RootFact]
    public void TwoPartsJoinedByVxlanReachEachOtherAtTheFullMtuAndConvergeWithoutChange()
    {
        using var hosts = new Hosts();
        using var labA = new LabDeploymentTests.TestLab();
        using var labB = new LabDeploymentTests.TestLab();
        var parts = LabHostSplitter.Split(LabDefinitionReader.Read(DefinitionValue.FromObject(LabHostsTests.Span(labA.Name))));
        var a = parts[0].Definition;
        var b = LabDefinitionReader.Rename(parts[1].Definition, labB.Name);
        In(hosts.A, () => LabDeployment.Deploy(a));
        In(hosts.B, () => LabDeployment.Deploy(b));

        // The VXLAN device sits on the bridge in the network's namespace; its socket is in the host's namespace.
        var vx = Ip.Links(labB.Ns("lan"))["vx" + LabHostSplitter.VniOf(labA.Name, "lan")];
        Assert.Equal("vxlan", vx.Kind());
        Assert.Equal(1450, vx.Int("mtu"));
        Assert.Equal("lan", vx.Str("master"));
        Assert.Contains("4789", Lab.Run("ip", "netns", "exec", hosts.B, "ss", "-Hlun").Out);
        Assert.DoesNotContain("4789", Lab.Run("ip", "netns", "exec", labB.Ns("lan"), "ss", "-Hlun").Out);
        Assert.Equal(1450, Ip.Links(labB.Ns("h2"))["lan"].Int("mtu"));

        // h2 (host b) reaches r1 and h1 (host a) through the VXLAN, and the wan of r1 by its default route via r1.
        Assert.True(Lab.Ping(labB.Ns("h2"), "198.18.40.1"));
        Assert.True(Lab.Ping(labB.Ns("h2"), "198.18.40.2"));
        Assert.True(Lab.Ping(labA.Ns("h1"), "198.18.40.3"));
        // The full MTU end to end, with DF: 1450 - 28 bytes of IPv4 and ICMP headers.
        var (code, stdout, _) = Lab.Run("ip", "netns", "exec", labB.Ns("h2"), "ping", "-c", "1", "-W", "2", "-M", "do", "-s", "1422", "198.18.40.2");
        Assert.True(code == 0, stdout);

        // Deployed again: nothing changes (the VXLAN port is read back from its tag).
        var again = In(hosts.B, () => LabDeployment.Plan(b));
        Assert.Empty(again.Changes);
        var read = RunningLabReader.Read(labB.Name);
        Assert.Equal(LabResolver.Resolve(b).Vxlans, read.Vxlans);
    }

    [RootFact]
    public void AVniAnotherLabHasHereFailsThePlanBeforeAnythingChanges()
    {
        using var hosts = new Hosts();
        using var first = new LabDeploymentTests.TestLab();
        using var second = new LabDeploymentTests.TestLab();
        var parts = LabHostSplitter.Split(LabDefinitionReader.Read(DefinitionValue.FromObject(LabHostsTests.Span(first.Name))));
        In(hosts.A, () => LabDeployment.Deploy(parts[0].Definition));
        int vni = LabHostSplitter.VniOf(first.Name, "lan");
        var clash = LabDefinitionTests.Edge(second.Name);
        ((Dictionary<string, object?>)((Dictionary<string, object?>)clash["Networks"]!)["lan"]!)["Vxlan"] =
            new Dictionary<string, object?> { ["Id"] = (long)vni, ["Local"] = "198.18.250.2", ["Remotes"] = "198.18.250.3" };
        var e = Assert.Throws<NetNsException>(() => In(hosts.A, () => LabDeployment.Plan(LabDefinitionReader.Read(DefinitionValue.FromObject(clash)))));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Contains($"VXLAN {vni} on UDP port 4789", e.Message);
        Assert.Contains($"lab '{first.Name}'", e.Message);
        Assert.DoesNotContain(NamedNamespaces.ListNames(), n => n.StartsWith(second.Name + "-", StringComparison.Ordinal));
        // On another port it is fine.
        ((Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)clash["Networks"]!)["lan"]!)["Vxlan"]!)["Port"] = 4790L;
        Assert.NotEmpty(In(hosts.A, () => LabDeployment.Plan(LabDefinitionReader.Read(DefinitionValue.FromObject(clash)))).Changes);
    }

    [RootFact]
    public void AChangedRemoteReplacesTheVxlanPort()
    {
        using var hosts = new Hosts();
        using var lab = new LabDeploymentTests.TestLab();
        var parts = LabHostSplitter.Split(LabDefinitionReader.Read(DefinitionValue.FromObject(LabHostsTests.Span(lab.Name))));
        In(hosts.A, () => LabDeployment.Deploy(parts[0].Definition));
        var moved = LabHostSplitter.Split(LabDefinitionReader.Read(DefinitionValue.FromObject(LabHostsTests.Span(lab.Name, b: "198.18.250.9"))));
        var plan = In(hosts.A, () => LabDeployment.Plan(moved[0].Definition));
        Assert.Equal(["Remove Vxlan", "Add Vxlan"], plan.Changes.Select(c => c.Action + " " + c.Kind));
        In(hosts.A, () => LabDeployment.Apply(plan));
        string fdb = Lab.Run("bridge", "-n", lab.Ns("lan"), "fdb", "show", "dev", "vx" + LabHostSplitter.VniOf(lab.Name, "lan")).Out;
        Assert.Contains("dst 198.18.250.9", fdb);
        Assert.DoesNotContain("dst 198.18.250.3", fdb);
    }

    [RootFact]
    public void ALabDeployedAgainRightAfterItsRemovalGetsItsVxlanBack()
    {
        // The kernel cleans a deleted namespace up later; a VXLAN port left to that kept its VNI taken on the host's
        // port, and the next deploy failed with "A VXLAN device with the specified VNI already exists".
        using var hosts = new Hosts();
        using var labA = new LabDeploymentTests.TestLab();
        var a = LabHostSplitter.Split(LabDefinitionReader.Read(DefinitionValue.FromObject(LabHostsTests.Span(labA.Name))))[0].Definition;
        for (int round = 0; round < 3; round++)
        {
            In(hosts.A, () => LabDeployment.Deploy(a));
            Assert.Equal("vxlan", Ip.Links(labA.Ns("lan"))["vx" + LabHostSplitter.VniOf(labA.Name, "lan")].Kind());
            In(hosts.A, () => LabDeployment.Remove(labA.Name, out _));
            Assert.DoesNotContain("4789", Lab.Run("ip", "netns", "exec", hosts.A, "ss", "-Hlun").Out);
        }
    }
}
