using System.Diagnostics;
using System.Net;
using NetNs.Core;

namespace NetNs.Bench;

/// <summary>
/// a) NetNs.Core in-process: NamedNamespaces.Create for the N+1 namespaces, one NetlinkHandle on the bridge
/// namespace and one per namespace (opened, used, closed in turn), NamedNamespaces.Delete for teardown.
/// Sequential, or with <see cref="Workers"/> threads sharing the per-namespace work (a2).
/// </summary>
internal sealed class CoreVariant(int workers) : Variant
{
    private static readonly IPPrefix DefaultDestination = IPPrefix.Parse("0.0.0.0/0");
    private static readonly IPAddress Gateway = IPAddress.Parse(Topology.BridgeAddress);

    public int Workers { get; } = workers;

    public override string Key => Workers == 1 ? "a" : "a" + Workers;

    public override string Label => Workers == 1 ? "NetNs.Core, sequential" : $"NetNs.Core, {Workers} workers";

    public override Measurement Run(Topology t, Action<Topology> verify, CancellationToken ct)
    {
        var profile = Workers == 1 ? new Profile() : null;
        var sw = Stopwatch.StartNew();
        Build(t, profile, ct);
        var build = sw.Elapsed;

        verify(t);

        sw.Restart();
        ForEach(t.AllNamespaces().ToList(), name => Step(profile, "netns delete", () => NamedNamespaces.Delete(name)), ct);
        var teardown = sw.Elapsed;
        return new Measurement(build, teardown) { Profile = profile };
    }

    private void Build(Topology t, Profile? p, CancellationToken ct)
    {
        // `ip netns add` for every namespace (creation takes a flock on /run/netns: parallel adds serialize there).
        ForEach(t.AllNamespaces().ToList(), name => Step(p, "netns create", () => NamedNamespaces.Create(name)), ct);

        var brNs = Step(p, "open handles", () => NamespaceHandle.OpenName(t.BridgeNamespace));
        NetlinkHandle? br = null;
        try
        {
            br = Step(p, "open handles", () => NetlinkHandle.Open(brNs));
            Step(p, "bridge create", () => br.CreateLink(new LinkSpec { Name = Topology.BridgeName, Kind = LinkKind.Bridge }));

            var indexes = Enumerable.Range(0, t.N).ToList();
            if (Workers == 1)
            {
                foreach (int i in indexes)
                {
                    ct.ThrowIfCancellationRequested();
                    PerNamespace(t, i, br, p);
                }
            }
            else
            {
                // Each worker has its own socket on the bridge namespace (a socket serializes its requests).
                RunWorkers(indexes, ct, slice =>
                {
                    using var own = NetlinkHandle.Open(brNs);
                    foreach (int i in slice)
                    {
                        ct.ThrowIfCancellationRequested();
                        PerNamespace(t, i, own, null);
                    }
                });
            }

            Step(p, "bridge addr", () => br.AddAddress(Topology.BridgeName, IPPrefix.Parse(Topology.BridgeAddressWithPrefix)));
            Step(p, "bridge up", () => br.SetLinkState(Topology.BridgeName, true));
        }
        finally
        {
            Step(p, "close handles", () =>
            {
                br?.Dispose();
                brNs.Dispose();
            });
        }
    }

    private static void PerNamespace(Topology t, int i, NetlinkHandle br, Profile? p)
    {
        string port = Topology.Port(i);
        var ns = Step(p, "open handles", () => NamespaceHandle.OpenName(t.Namespace(i)));
        NetlinkHandle? h = null;
        try
        {
            h = Step(p, "open handles", () => NetlinkHandle.Open(ns));
            Step(p, "veth create", () => br.CreateVeth(new VethSpec { Name = port, PeerName = Topology.PeerName, PeerNamespace = ns }));
            Step(p, "port enslave", () => br.SetMaster(port, Topology.BridgeName));
            Step(p, "port up", () => br.SetLinkState(port, true));
            Step(p, "lo up", () => h.SetLinkState("lo", true));
            Step(p, "eth0 addr", () => h.AddAddress(Topology.PeerName, IPPrefix.Parse(Topology.AddressWithPrefix(i))));
            Step(p, "eth0 up", () => h.SetLinkState(Topology.PeerName, true));
            Step(p, "default route", () => h.AddRoute(new RouteSpec { Destination = DefaultDestination, Gateway = Gateway }));
        }
        finally
        {
            Step(p, "close handles", () =>
            {
                h?.Dispose();
                ns.Dispose();
            });
        }
    }

    private void ForEach(List<string> items, Action<string> action, CancellationToken ct)
    {
        if (Workers == 1)
        {
            foreach (string item in items)
            {
                ct.ThrowIfCancellationRequested();
                action(item);
            }
            return;
        }
        RunWorkers(items, ct, slice =>
        {
            foreach (string item in slice)
            {
                ct.ThrowIfCancellationRequested();
                action(item);
            }
        });
    }

    /// <summary>Splits <paramref name="items"/> round-robin over <see cref="Workers"/> dedicated threads and joins them.</summary>
    private void RunWorkers<T>(List<T> items, CancellationToken ct, Action<List<T>> work)
    {
        var slices = Enumerable.Range(0, Workers).Select(w => items.Where((_, k) => k % Workers == w).ToList()).ToList();
        var errors = new Exception?[Workers];
        var threads = slices.Select((slice, w) => new Thread(() =>
        {
            try
            {
                work(slice);
            }
            catch (Exception e)
            {
                errors[w] = e;
            }
        })
        { IsBackground = true, Name = $"bench-worker-{w}" }).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());
        ct.ThrowIfCancellationRequested();
        var failed = errors.Where(e => e is not null).ToList();
        if (failed.Count == 1)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed[0]!).Throw();
        if (failed.Count > 1)
            throw new AggregateException(failed!);
    }

    private static void Step(Profile? p, string name, Action action)
    {
        if (p is null)
            action();
        else
            p.Step(name, action);
    }

    private static T Step<T>(Profile? p, string name, Func<T> func) => p is null ? func() : p.Step(name, func);
}
