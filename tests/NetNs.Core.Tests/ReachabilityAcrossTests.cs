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
        LabDeployment.Deploy(ProbeMatrixTests.OneNetwork(lab.Name, 12, "198.18.72.0/24"));
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
        }, new ProbeCounters(5, null, 9), new ProbeCounters(6, 1, null), ForgotAll: false);
        var got = ReachabilityJson.ReadResult(ReachabilityJson.Write(result));
        Assert.Equal(new ProbeCounters(5, null, 9), got.Start);
        Assert.Equal(new ProbeCounters(6, 1, null), got.End);
        Assert.False(got.ForgotAll);
        Assert.Equal((true, "Success", (string?)null, (TimeSpan?)TimeSpan.FromTicks(1234)), (got.Results[7].Success, got.Results[7].Status, got.Results[7].Detail, got.Results[7].RoundTripTime));
        Assert.Equal((false, "Inconclusive", (string?)"table full", (TimeSpan?)null), (got.Results[8].Success, got.Results[8].Status, got.Results[8].Detail, got.Results[8].RoundTripTime));

        var kernel = new ReachabilityKernel("boot", 1024, 2048, new ProbeCounters(3, 4, 5));
        Assert.Equal(kernel, ReachabilityJson.ReadKernel(ReachabilityJson.Write(kernel)));
        var bad = Assert.Throws<NetNsException>(() => ReachabilityJson.ReadWave("{"));
        Assert.Equal(NetNsErrorReason.InvalidArgument, bad.Reason);
    }

    [Fact]
    public void TheBacklogsDropsAreSummedOverTheCpus()
    {
        string[] lines =
        [
            "041d51a9 0005d10b 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000",
            "042c7e36 0009cf98 00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001",
        ];
        Assert.Equal(0x5d10bL + 0x9cf98, HostBacklog.Parse(lines));
        Assert.Null(HostBacklog.Parse(["041d51a9"]));
        Assert.NotNull(HostBacklog.Dropped()); // this machine's
    }

    // A place that answers over JSON as a host would: each probe fails the first `failFirst` times, and each call
    // shows `drops` more backlog drops than the one before.
    private static ReachabilityPlace Fake(int failFirst, int drops, List<int> probed)
    {
        var tries = new Dictionary<int, int>();
        long counter = 0;
        string kernel = ReachabilityJson.Write(new ReachabilityKernel("fake", 1024, 1024, new ProbeCounters(0, 0, 0)));
        return ReachabilityPlace.Remote("fake", kernel, (json, _) =>
        {
            var wave = ReachabilityJson.ReadWave(json);
            var start = new ProbeCounters(0, 0, counter);
            counter += drops;
            var results = new Dictionary<int, ConnectionTestResult>();
            foreach (var p in wave.Probes)
            {
                probed.Add(p.Id);
                int n = tries[p.Id] = tries.GetValueOrDefault(p.Id) + 1;
                results[p.Id] = n > failFirst ? new() { Success = true, Status = "Success", RoundTripTime = TimeSpan.FromTicks(10) } : new() { Status = "TimedOut" };
            }
            return Task.FromResult(ReachabilityJson.Write(new ReachabilityWaveResult(results, start, new ProbeCounters(0, 0, counter), true)));
        });
    }

    [Fact]
    public async Task AFailureInAWaveDuringWhichTheHostDroppedPacketsIsProbedAgain()
    {
        var d = new Dictionary<string, object?>
        {
            ["Name"] = "ntfake",
            ["Nodes"] = new Dictionary<string, object?> { ["x"] = null, ["y"] = null },
            ["Networks"] = new Dictionary<string, object?> { ["lan"] = new Dictionary<string, object?> { ["Subnet"] = "198.18.74.0/24", ["Members"] = new[] { "x", "y" } } },
        };
        var model = LabResolver.Resolve(LabDefinitionReader.Read(DefinitionValue.FromObject(d)));
        Dictionary<string, ReachabilityPlace> On(ReachabilityPlace p) => new() { ["ntfake-x"] = p, ["ntfake-y"] = p };

        // drops during the wave: the lost echoes are probed again, and answer
        var probed = new List<int>();
        var cells = await ReachabilityMatrix.TestAcrossAsync(model, On(Fake(failFirst: 1, drops: 3, probed)));
        Assert.Equal(["Success:2", "Success:2"], cells.Select(c => $"{c.Status}:{c.Attempts}"));
        Assert.Equal(4, probed.Count);

        // no drops: a failure is a failure, at once
        probed.Clear();
        cells = await ReachabilityMatrix.TestAcrossAsync(model, On(Fake(failFirst: 1, drops: 0, probed)));
        Assert.Equal(["TimedOut:1", "TimedOut:1"], cells.Select(c => $"{c.Status}:{c.Attempts}"));
        Assert.Equal(2, probed.Count);

        // drops in every attempt: still TimedOut after the last, saying so
        probed.Clear();
        cells = await ReachabilityMatrix.TestAcrossAsync(model, On(Fake(failFirst: 99, drops: 1, probed)));
        Assert.All(cells, c => Assert.Equal(("TimedOut", ReachabilityMatrix.MaxAttempts), (c.Status, c.Attempts)));
        Assert.Contains("backlog was full", cells[0].Detail);
    }
}
