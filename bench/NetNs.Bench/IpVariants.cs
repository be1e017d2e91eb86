using System.Diagnostics;

namespace NetNs.Bench;

/// <summary>The topology as `ip` commands: (namespace to run in, or null for the caller's; argv after `ip`).</summary>
internal static class IpCommands
{
    public static IEnumerable<(string? Ns, string[] Args)> Build(Topology t)
    {
        foreach (string ns in t.AllNamespaces())
            yield return (null, ["netns", "add", ns]);
        string br = t.BridgeNamespace;
        yield return (br, ["link", "add", Topology.BridgeName, "type", "bridge"]);
        for (int i = 0; i < t.N; i++)
        {
            string ns = t.Namespace(i), port = Topology.Port(i);
            yield return (br, ["link", "add", port, "type", "veth", "peer", "name", Topology.PeerName, "netns", ns]);
            yield return (br, ["link", "set", port, "master", Topology.BridgeName, "up"]);
            yield return (ns, ["link", "set", "lo", "up"]);
            yield return (ns, ["addr", "add", Topology.AddressWithPrefix(i), "dev", Topology.PeerName]);
            yield return (ns, ["link", "set", Topology.PeerName, "up"]);
            yield return (ns, ["route", "add", "default", "via", Topology.BridgeAddress]);
        }
        yield return (br, ["addr", "add", Topology.BridgeAddressWithPrefix, "dev", Topology.BridgeName]);
        yield return (br, ["link", "set", Topology.BridgeName, "up"]);
    }

    public static IEnumerable<(string? Ns, string[] Args)> Teardown(Topology t) =>
        t.AllNamespaces().Select(ns => ((string?)null, new[] { "netns", "del", ns }));

    public static string[] WithNamespace(string? ns, string[] args) => ns is null ? args : ["-n", ns, .. args];
}

/// <summary>b) One `ip` process per step (Process.Start with an argument list, no shell).</summary>
internal sealed class IpPerStepVariant : Variant
{
    public override string Key => "b";

    public override string Label => "ip, one process per step";

    public override Measurement Run(Topology t, Action<Topology> verify, CancellationToken ct)
    {
        var build = IpCommands.Build(t).Select(c => IpCommands.WithNamespace(c.Ns, c.Args)).ToList();
        var teardown = IpCommands.Teardown(t).Select(c => IpCommands.WithNamespace(c.Ns, c.Args)).ToList();

        var sw = Stopwatch.StartNew();
        foreach (var args in build)
        {
            ct.ThrowIfCancellationRequested();
            Ip.Run(args);
        }
        var buildTime = sw.Elapsed;

        verify(t);

        sw.Restart();
        foreach (var args in teardown)
        {
            ct.ThrowIfCancellationRequested();
            Ip.Run(args);
        }
        return new Measurement(buildTime, sw.Elapsed) { Processes = build.Count + teardown.Count };
    }
}

/// <summary>
/// c) `ip -batch FILE`: the same commands, as few `ip` processes as iproute2 6.1 allows. Its batch mode does not
/// take `-n NS` on a line ("Object "-n" is unknown"), and `netns exec` would start a process per line, so
/// the commands are grouped by namespace: one `ip -batch` for the `netns add`s, one `ip -n BR -batch` for
/// the bridge side (bridge, veths with their peers sent to each namespace, ports, bridge address and up),
/// one `ip -n nsI -batch` per namespace, and one `ip -batch` for the `netns del`s: N+3 processes.
/// The files are written before the clock starts.
/// </summary>
internal sealed class IpBatchVariant : Variant
{
    public override string Key => "c";

    public override string Label => "ip -batch (anchor)";

    public override Measurement Run(Topology t, Action<Topology> verify, CancellationToken ct)
    {
        string dir = Directory.CreateTempSubdirectory("netns-bench-" + t.Tag).FullName;
        try
        {
            var groups = new List<(string? Ns, List<string> Lines)>();
            foreach (var (ns, args) in Order(t))
            {
                if (groups.Count == 0 || groups[^1].Ns != ns)
                    groups.Add((ns, []));
                groups[^1].Lines.Add(string.Join(' ', args));
            }
            var build = new List<(string Step, string[] Args)>();
            foreach (var (ns, lines) in groups)
            {
                string file = Path.Combine(dir, $"build{build.Count}.batch");
                File.WriteAllLines(file, lines);
                string step = ns is null ? "netns add batch" : ns == t.BridgeNamespace ? "bridge-side batch" : "per-namespace batches";
                build.Add((step, IpCommands.WithNamespace(ns, ["-batch", file])));
            }
            string delFile = Path.Combine(dir, "teardown.batch");
            File.WriteAllLines(delFile, IpCommands.Teardown(t).Select(c => string.Join(' ', c.Args)));

            var profile = new Profile();
            var sw = Stopwatch.StartNew();
            foreach (var (step, args) in build)
            {
                ct.ThrowIfCancellationRequested();
                profile.Step(step, () => Ip.Run(args));
            }
            var buildTime = sw.Elapsed;

            verify(t);

            sw.Restart();
            profile.Step("netns del batch", () => Ip.Run(["-batch", delFile]));
            return new Measurement(buildTime, sw.Elapsed) { Processes = build.Count + 1, Profile = profile };
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The build commands grouped by namespace, keeping what depends on what: namespaces first, then the bridge
    /// side (which creates every eth0), then each namespace's own configuration.
    /// </summary>
    private static IEnumerable<(string? Ns, string[] Args)> Order(Topology t)
    {
        var byNs = IpCommands.Build(t).ToLookup(c => c.Ns);
        foreach (var c in byNs[null])
            yield return c;
        foreach (string ns in t.AllNamespaces())
        {
            foreach (var c in byNs[ns])
                yield return c;
        }
    }
}
