using System.Net;
using System.Net.Sockets;

namespace NetNs.Core.Tests;

/// <summary>
/// Issue 23: a reachability matrix over several places (hosts) is driven in waves from one side, paced to each
/// kernel's neighbour tables, and forgets every wave's entries in every place, the targets' too.
/// </summary>
public class ReachabilityAcrossTests
{
    [RootFact]
    public async Task AMatrixOverTwoPlacesReachesEveryPairAndForgetsTheTargetsEntriesToo()
    {
        using var lab = new LabDeploymentTests.TestLab();
        var nodes = new Dictionary<string, object?>();
        for (int i = 0; i < 12; i++)
            nodes["h" + i] = new Dictionary<string, object?>();
        var d = new Dictionary<string, object?>
        {
            ["Name"] = lab.Name,
            ["Nodes"] = nodes,
            ["Networks"] = new Dictionary<string, object?>
            {
                ["lan"] = new Dictionary<string, object?> { ["Subnet"] = "198.18.72.0/24", ["Members"] = nodes.Keys.ToArray(), ["Gateway"] = "h0" },
            },
        };
        LabDeployment.Deploy(LabDefinitionReader.Read(DefinitionValue.FromObject(d)));
        var model = RunningLabReader.Read(lab.Name);
        var first = Enumerable.Range(0, 6).Select(i => lab.Ns("h" + i)).ToList();
        var second = Enumerable.Range(6, 6).Select(i => lab.Ns("h" + i)).ToList();
        using var a = ReachabilityHost.Open(first);
        using var b = ReachabilityHost.Open(second);
        // b as a host over a transport: only its JSON crosses, as over PowerShell remoting.
        int calls = 0;
        var remote = ReachabilityPlace.Remote("b", b.Describe(), (wave, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.Run(() => b.Run(wave));
        });
        var places = first.ToDictionary(ns => ns, _ => ReachabilityPlace.Local("a", a));
        foreach (string ns in second)
            places[ns] = remote;

        var cells = await ReachabilityMatrix.TestAcrossAsync(model, places, count: 1);

        Assert.Equal(132, cells.Count);
        Assert.Empty(cells.Where(c => !c.Success).Select(c => c.ToString()));
        Assert.Equal(12, cells.Select(c => c.From).Distinct().Count());
        Assert.True(calls >= 2, "b probed and forgot through its transport");
        // Every echo made an entry at both ends (a's probe to h6 made h6's entry for its reply, 36 such on b); they are
        // forgotten everywhere (an ARP request retransmitted on a loaded machine may reach its target after its wave
        // was forgotten: at most a stray one or two).
        var left = first.Concat(second).SelectMany(ns => Ip.Json(ns, "neigh", "show").Select(e => $"{ns}: {e.Str("dst")}")).ToList();
        Assert.True(left.Count <= 2, string.Join("; ", left));
    }

    [RootFact]
    public async Task ProbingFromSomeNodesOnlyLeavesTheOthersNamespacesAlone()
    {
        // -From on one host of a lab across hosts: the other nodes' namespaces need not exist here.
        using var lab = new LabDeploymentTests.TestLab();
        Dictionary<string, object?> Definition(params string[] members) => new()
        {
            ["Name"] = lab.Name,
            ["Nodes"] = members.ToDictionary(m => m, _ => (object?)null),
            ["Networks"] = new Dictionary<string, object?>
            {
                ["lan"] = new Dictionary<string, object?> { ["Subnet"] = "198.18.73.0/24", ["Members"] = members },
            },
        };
        LabDeployment.Deploy(LabDefinitionReader.Read(DefinitionValue.FromObject(Definition("x", "y"))));
        var model = LabResolver.Resolve(LabDefinitionReader.Read(DefinitionValue.FromObject(Definition("x", "y", "z"))));
        Assert.False(File.Exists("/run/netns/" + lab.Ns("z")));

        var cells = await ReachabilityMatrix.TestAsync(model, new HashSet<string> { "x" }, count: 1, timeout: TimeSpan.FromMilliseconds(300));

        Assert.Equal(["y:True", "z:False"], cells.Select(c => $"{c.To}:{c.Success}").Order(StringComparer.Ordinal));
        Assert.Empty(Ip.Json(lab.Ns("y"), "neigh", "show").Select(e => e.Str("dst")));
    }

    [Fact]
    public void WavesAreCutToEachKernelsTable()
    {
        // limit 80: a wave holds at most 30 entries per kernel and family.
        var entries = Enumerable.Range(0, 40).Select(i => new HashSet<(string, IPAddress)>
        {
            ("a-" + i, IPAddress.Parse("198.18.0." + (i + 1))),
            ("b-" + i, IPAddress.Parse("198.18.1." + (i + 1))),
        }).ToList();
        var groups = Enumerable.Range(0, 40).Select(i => new List<int> { i }).ToList();

        var twoKernels = new NeighborPacer(ns => ns[..1], (_, _) => 80);
        var split = twoKernels.Waves(groups, i => entries[i], _ => AddressFamily.InterNetwork).ToList();
        var oneKernel = new NeighborPacer(_ => "k", (_, _) => 80);
        var shared = oneKernel.Waves(groups, i => entries[i], _ => AddressFamily.InterNetwork).ToList();

        Assert.Equal([30, 10], split.Select(w => w.Groups.Count));
        Assert.Equal(30, split[0].Entries[("a", AddressFamily.InterNetwork)]);
        Assert.Equal(30, split[0].Entries[("b", AddressFamily.InterNetwork)]);
        Assert.Equal([15, 15, 10], shared.Select(w => w.Groups.Count));
        Assert.Equal(30, shared[0].Entries[("k", AddressFamily.InterNetwork)]);
    }

    [Fact]
    public void AWaveAndItsResultCrossAsJsonUnchanged()
    {
        var wave = new ReachabilityWave([("n-a", IPAddress.Parse("198.18.0.1")), ("n-b", IPAddress.Parse("2001:db8::2"))],
            [new ReachabilityProbe(7, "n-a", IPAddress.Parse("2001:db8::2"))], 3, TimeSpan.FromMilliseconds(250));
        var back = ReachabilityJson.ReadWave(ReachabilityJson.Write(wave));
        Assert.Equal(wave.Forget, back.Forget);
        Assert.Equal(wave.Probes, back.Probes);
        Assert.Equal((3, TimeSpan.FromMilliseconds(250)), (back.Count, back.Timeout));

        var result = new ReachabilityWaveResult(new Dictionary<int, ConnectionTestResult>
        {
            [7] = new() { Success = true, Status = "Success", RoundTripTime = TimeSpan.FromTicks(1234) },
            [8] = new() { Status = ConnectionProbe.InconclusiveStatus, Detail = "table full" },
        }, (5, null), (6, 1), ForgotAll: false);
        var got = ReachabilityJson.ReadResult(ReachabilityJson.Write(result));
        Assert.Equal(((long?)5, (long?)null), got.Start);
        Assert.Equal(((long?)6, (long?)1), got.End);
        Assert.False(got.ForgotAll);
        Assert.Equal((true, "Success", (string?)null, (TimeSpan?)TimeSpan.FromTicks(1234)), (got.Results[7].Success, got.Results[7].Status, got.Results[7].Detail, got.Results[7].RoundTripTime));
        Assert.Equal((false, "Inconclusive", (string?)"table full", (TimeSpan?)null), (got.Results[8].Success, got.Results[8].Status, got.Results[8].Detail, got.Results[8].RoundTripTime));

        var kernel = new ReachabilityKernel("boot", 1024, 2048, (3, 4));
        Assert.Equal(kernel, ReachabilityJson.ReadKernel(ReachabilityJson.Write(kernel)));
        var bad = Assert.Throws<NetNsException>(() => ReachabilityJson.ReadWave("{"));
        Assert.Equal(NetNsErrorReason.InvalidArgument, bad.Reason);
    }
}
