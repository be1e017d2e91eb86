using System.Net;

namespace NetNs.Core.Tests;

/// <summary>Issue 18: a large reachability matrix is exact, and a probe says why it failed when it can.</summary>
public class ProbeMatrixTests
{
    /// <summary>Nodes h0…h(count-1) on one network "lan" of <paramref name="subnet"/>, h0 its gateway.</summary>
    internal static LabDefinition OneNetwork(string lab, int count, string subnet)
    {
        var nodes = Enumerable.Range(0, count).ToDictionary(i => "h" + i, _ => (object?)new Dictionary<string, object?>());
        return LabDefinitionReader.Read(DefinitionValue.FromObject(new Dictionary<string, object?>
        {
            ["Name"] = lab,
            ["Nodes"] = nodes,
            ["Networks"] = new Dictionary<string, object?>
            {
                ["lan"] = new Dictionary<string, object?> { ["Subnet"] = subnet, ["Members"] = nodes.Keys.ToArray(), ["Gateway"] = "h0" },
            },
        }));
    }

    [RootFact]
    public async Task AMatrixOf2550ProbesOnA51NodeNetworkHasNoFalseFailures()
    {
        // 51 nodes on one segment: 51 x 50 echoes, each needing an ARP entry at both ends; the host's table holds 1024.
        using var lab = new LabDeploymentTests.TestLab();
        LabDeployment.Deploy(OneNetwork(lab.Name, 51, "198.18.70.0/24"));
        var model = RunningLabReader.Read(lab.Name);

        for (int run = 0; run < 2; run++)
        {
            var cells = await ReachabilityMatrix.TestAsync(model);
            Assert.Equal(2550, cells.Count);
            Assert.Empty(cells.Where(c => !c.Success).Select(c => c.ToString()));
        }
    }

    [RootFact]
    public async Task AProbeThroughADownLoopbackSaysSo()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        Ip.Must("-n", ns, "link", "add", "va", "type", "veth", "peer", "name", "vb");
        Ip.Must("-n", ns, "addr", "add", "198.18.71.1/24", "dev", "va");
        Ip.Must("-n", ns, "link", "set", "va", "up");
        Ip.Must("-n", ns, "link", "set", "vb", "up");
        Ip.Must("-n", ns, "link", "set", "lo", "down");
        using var h = NamespaceHandle.OpenName(ns);
        var options = new ConnectionProbeOptions { Timeout = TimeSpan.FromMilliseconds(300) };

        var own = await ConnectionProbe.TestAsync(h, ns, IPAddress.Parse("198.18.71.1"), options);
        var loopback = await ConnectionProbe.TestAsync(h, ns, IPAddress.Loopback, options);
        var tcp = await ConnectionProbe.TestAsync(h, ns, IPAddress.Loopback, new ConnectionProbeOptions { Port = 80, Timeout = TimeSpan.FromMilliseconds(300) });

        Assert.All(new[] { own, loopback, tcp }, r =>
        {
            Assert.False(r.Success);
            Assert.Equal(ConnectionProbe.LoopbackDownStatus, r.Status);
            Assert.Contains("loopback", r.Detail);
        });

        Ip.Must("-n", ns, "link", "set", "lo", "up");
        Assert.True((await ConnectionProbe.TestAsync(h, ns, IPAddress.Parse("198.18.71.1"), options)).Success);
        Assert.Equal("ConnectionRefused", (await ConnectionProbe.TestAsync(h, ns, IPAddress.Loopback, new ConnectionProbeOptions { Port = 80 })).Status);
    }

    [Fact]
    public void TheHostsNeighbourTableStatisticsAreParsed()
    {
        string[] lines =
        [
            "entries  allocs   destroys hash_grows lookups  hits     res_failed rcv_probes_mcast rcv_probes_ucast periodic_gc_runs forced_gc_runs unresolved_discards table_fulls",
            "00000355 000037f6 00004b47 00000001   00064d37 0003020d 0000009a   00000000         00000000         00000000         00003833       00000000            00003706",
            "00000355 00003ec7 00002821 00000007   00071817 00036063 000000a2   00000000         00000000         00000222         00003f1a       00000000            00003deb",
        ];
        Assert.Equal((0x355L, 0x3706L + 0x3deb), NeighborTables.Parse(lines));
        Assert.Null(NeighborTables.Parse(["entries table_fulls"]));
    }
}
