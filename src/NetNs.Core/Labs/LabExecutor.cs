using System.Diagnostics;
using NetNs.Core.Netlink;

namespace NetNs.Core;

/// <summary>
/// Runs a plan from <see cref="LabPlanner"/> as one bulk operation: one namespace handle and one netlink socket per
/// namespace for the whole run, each step one or two requests. If a step fails, every addition made so far is
/// undone in reverse order (a new namespace is deleted with all in it), and the step's error is thrown; removals
/// made before it stay made.
/// </summary>
public sealed partial class LabExecutor : IDisposable
{
    private readonly LabModel _desired;
    private readonly Dictionary<string, (NamespaceHandle Ns, NetlinkHandle Rtnl)> _open = new(StringComparer.Ordinal);
    private readonly UndoSteps _undo = new();
    private readonly List<LabBridgeSpec> _bridgesToBringUp = [];
    private readonly HashSet<string> _made = new(StringComparer.Ordinal);
    private IReadOnlyList<NetNsContainer>? _containers; // listed once, when the first container node is attached

    /// <summary>An executor for changes towards <paramref name="desired"/>.</summary>
    public LabExecutor(LabModel desired) => _desired = desired ?? throw new ArgumentNullException(nameof(desired));

    /// <summary>Runs the plan; on failure rolls back its additions and rethrows. Returns the time it took.</summary>
    public TimeSpan Execute(IReadOnlyList<LabChange> plan, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sw = Stopwatch.StartNew();
        try
        {
            bool opened = false;
            foreach (var change in plan)
            {
                cancel.ThrowIfCancellationRequested(); // Ctrl+C: stop between steps, and undo like a failure
                if (!opened && change.Kind != LabObjectKind.Namespace)
                {
                    OpenAll(plan); // the namespaces exist now: their sockets in one trip to the worker thread
                    opened = true;
                }
                Run(change);
            }
            // New bridges come up last, as `ip` scripts do: a bridge that is up while its ports join floods every
            // port's IPv6 chatter (router solicitations, MLD reports, DAD) to all the ports already there, which is
            // quadratic in its ports (N = 1000: most of a deploy's time, in softirqs).
            foreach (var b in _bridgesToBringUp)
                Rtnl(b.Namespace).SetLinkAlias(b.Name, LabTags.Bridge(_desired.Name, b, _desired), up: true);
            ForgetNeighbors(plan);
        }
        catch (Exception e) when (e is NetNsException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            _undo.Run();
            throw;
        }
        _undo.Clear();
        return sw.Elapsed;
    }

    private void Run(LabChange c)
    {
        switch (c.Spec)
        {
            case LabNamespaceSpec { Container: string container } n when c.Action == LabChangeAction.Add:
                LabContainers.Attach(n.Name, container, _containers ??= LabContainers.Running());
                _undo.Push(() => DetachContainer(n.Name));
                Rtnl(n.Name).SetLinkAlias("lo", LabTags.Namespace(_desired.Name, n.Role, n.Member, container: container));
                break;
            case LabNamespaceSpec n when c.Action == LabChangeAction.Add:
                CreateNamespace(n);
                break;
            case LabNamespaceSpec { Container: not null } n:
                DetachContainer(n.Name);
                break;
            case LabNamespaceSpec n:
                DeleteNamespace(n.Name);
                break;
            // A new bridge gets its tag when it comes up, last (in one request): a deploy killed before that leaves
            // it untagged and down, and the next deploy, planning it again, takes it over (LabAdoption).
            case LabBridgeSpec b when c.Action == LabChangeAction.Add:
                try
                {
                    Rtnl(b.Namespace).CreateLink(new LinkSpec { Name = b.Name, Kind = LinkKind.Bridge, Mtu = b.Mtu });
                }
                catch (NetNsException e) when (e.Errno == Interop.Errno.EEXIST && LabAdoption.IsUntaggedBridge(Rtnl(b.Namespace), b.Name))
                {
                    if (b.Mtu is int bmtu)
                        Rtnl(b.Namespace).SetLink(b.Name, new LinkChanges { Mtu = bmtu });
                }
                _undo.Push(() => Rtnl(b.Namespace).DeleteLink(b.Name));
                _bridgesToBringUp.Add(b);
                break;
            case LabBridgeSpec b when c.Action == LabChangeAction.Set:
                if (b.Mtu is int mtu)
                    Rtnl(b.Namespace).SetLink(b.Name, new LinkChanges { Mtu = mtu });
                Rtnl(b.Namespace).SetLinkAlias(b.Name, LabTags.Bridge(_desired.Name, b, _desired));
                break;
            case LabBridgeSpec b:
                Rtnl(b.Namespace).DeleteLink(b.Name);
                break;
            case LabVethSpec v when c.Action == LabChangeAction.Add:
                AddVeth(v);
                break;
            case LabVethSpec v when c.Action == LabChangeAction.Set:
                if (v.Mtu is int vmtu)
                {
                    Rtnl(v.Namespace).SetLink(v.Name, new LinkChanges { Mtu = vmtu });
                    Rtnl(v.PeerNamespace).SetLink(v.PeerName, new LinkChanges { Mtu = vmtu });
                }
                Rtnl(v.PeerNamespace).SetMaster(v.PeerName, v.PeerMaster);
                break;
            case LabVethSpec v:
                Rtnl(c.Namespace).DeleteLink(c.Namespace == v.Namespace ? v.Name : v.PeerName); // from the end that stays
                break;
            case LabVxlanSpec v:
                RunVxlan(c.Action, v);
                break;
            case LabImpairmentSpec i:
                LabImpairments.Apply(Rtnl(i.Namespace), i);
                break;
            case LabAddressSpec a when c.Action == LabChangeAction.Add:
                // No duplicate address detection: a lab's addresses are unique by construction and usable at once.
                Rtnl(a.Namespace).AddAddress(a.Link, a.Prefix, new AddressOptions { SkipDuplicateAddressDetection = a.Prefix.Family == IPAddressFamily.IPv6 });
                _undo.Push(() => Rtnl(a.Namespace).DeleteAddress(a.Link, a.Prefix));
                break;
            case LabAddressSpec a:
                Rtnl(a.Namespace).DeleteAddress(a.Link, a.Prefix);
                break;
            case LabRouteSpec r when c.Action == LabChangeAction.Add:
                var spec = new RouteSpec { Destination = r.Destination, Gateway = r.Gateway };
                Rtnl(r.Namespace).AddRoute(spec);
                _undo.Push(() => Rtnl(r.Namespace).DeleteRoute(spec));
                break;
            case LabRouteSpec r when c.Action == LabChangeAction.Set:
                Rtnl(r.Namespace).ReplaceRoute(new RouteSpec { Destination = r.Destination, Gateway = r.Gateway });
                break;
            case LabRouteSpec r:
                Rtnl(r.Namespace).DeleteRoute(new RouteSpec { Destination = r.Destination, Gateway = r.Gateway });
                break;
            case LabSysctlSpec s:
                var ns = Open(s.Namespace).Ns;
                string old = Sysctl.Get(ns, s.Key);
                Sysctl.Set(ns, s.Key, s.Value);
                _undo.Push(() => Sysctl.Set(Open(s.Namespace).Ns, s.Key, old));
                break;
            // The node's loopback tag lists its NAT interfaces ("nat:IF"): set after the rules are in, so a crash in
            // between only makes the next deploy apply them again (Apply is idempotent).
            case LabNatDefinition n when c.Action == LabChangeAction.Add:
                // Undo first: Remove is idempotent, and Apply may fail after some of its rules are in.
                _undo.Push(() => NetworkNat.RemoveLab(Open(n.Node).Ns, _desired.Name, n.Interface));
                NetworkNat.ApplyLab(Open(n.Node).Ns, _desired.Name, NatSources(n), n.Interface);
                TagNat(n.Node);
                break;
            case LabNatDefinition n:
                NetworkNat.RemoveLab(Open(n.Node).Ns, _desired.Name, n.Interface);
                TagNat(n.Node);
                break;
            default:
                throw new InvalidOperationException($"no step for {c}");
        }
    }

    // An address this plan gave a node may have been another's a moment ago (a member renumbered, a node replaced):
    // the lab's older namespaces on its subnet forget what they learnt for it (ARP, NDP), or they would send to the
    // old MAC address for seconds, until their entry is found stale. Namespaces made by this plan have learnt nothing.
    // Best effort: a neighbour cache that cannot be read is left to expire.
    private void ForgetNeighbors(IReadOnlyList<LabChange> plan)
    {
        var given = plan.Where(c => c is { Kind: LabObjectKind.Address, Action: LabChangeAction.Add }).Select(c => (LabAddressSpec)c.Spec).ToList();
        if (given.Count == 0)
            return;
        foreach (var group in _desired.Addresses.Where(a => !_made.Contains(a.Namespace)).GroupBy(a => a.Namespace))
        {
            var forget = given.Where(g => g.Namespace != group.Key && group.Any(a => a.Prefix.Contains(g.Prefix.Address)))
                .Select(g => g.Prefix.Address).ToHashSet();
            if (forget.Count == 0)
                continue;
            try
            {
                Rtnl(group.Key).ForgetNeighbors(forget);
            }
            catch (NetNsException)
            {
                // left to expire
            }
        }
    }

    private void TagNat(string ns)
    {
        var spec = _desired.Namespaces.First(x => x.Name == ns);
        Rtnl(ns).SetLinkAlias("lo", LabTags.Namespace(_desired.Name, spec.Role, spec.Member, _desired.Nat.Where(x => x.Node == ns).Select(x => x.Interface), spec.Container));
    }

    // The namespace's lab tag (the loopback's label, the loopback up, in one request) is written inside the new
    // namespace before its name exists: a deploy killed at any moment leaves no live namespace with the lab's prefix
    // that is not provably the lab's. The socket that wrote it is the executor's handle on the namespace.
    private void CreateNamespace(LabNamespaceSpec n)
    {
        string tag = LabTags.Namespace(_desired.Name, n.Role, n.Member);
        NetlinkSocket? socket = null;
        NamespaceHandle ns;
        try
        {
            NamedNamespaces.Create(n.Name, beforePin: () =>
            {
                var s = NetlinkSocket.Open();
                try
                {
                    s.Execute(NetlinkHandle.AliasRequest("lo", tag, up: true), new ErrorContext("set the alias of", ObjectKind.Link, "lo", n.Name));
                }
                catch
                {
                    s.Dispose();
                    throw;
                }
                socket = s;
            }, inside: null, out ns);
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
        _made.Add(n.Name);
        _undo.Push(() => DeleteNamespace(n.Name));
        _open[n.Name] = (ns, NetlinkHandle.Adopt(socket!, ns));
    }

    private void AddVeth(LabVethSpec v)
    {
        var a = Rtnl(v.Namespace);
        var b = Open(v.PeerNamespace);
        string tag = LabTags.Veth(_desired.Name, v, _desired);
        try
        {
            a.CreateVeth(new VethSpec { Name = v.Name, PeerName = v.PeerName, PeerNamespace = b.Ns, Mtu = v.Mtu });
        }
        catch (NetNsException e) when (e.Errno == Interop.Errno.EEXIST && LabAdoption.IsHalfMadeVeth(a, v.Name, b.Rtnl, v.PeerName, tag))
        {
            // made by a deploy killed before it tagged both ends: taken over (tagged and brought up below)
        }
        _undo.Push(() => a.DeleteLink(v.Name));
        if (v.PeerMaster is not null)
            b.Rtnl.SetMaster(v.PeerName, v.PeerMaster);
        a.SetLinkAlias(v.Name, tag, up: true);
        b.Rtnl.SetLinkAlias(v.PeerName, tag, up: true);
    }

    private List<IPPrefix> NatSources(LabNatDefinition n) =>
        _desired.Addresses.Where(a => !(a.Namespace == n.Node && a.Link == n.Interface))
            .Select(a => a.Prefix.Network).Distinct()
            .Where(p => !_desired.Addresses.Any(x => x.Namespace == n.Node && x.Link == n.Interface && x.Prefix.Network == p))
            .ToList();

    private void OpenAll(IReadOnlyList<LabChange> plan)
    {
        var wanted = plan.Where(c => c.Kind != LabObjectKind.Namespace)
            .SelectMany(c => c.Spec is LabVethSpec v ? new[] { v.Namespace, v.PeerNamespace } : [c.Namespace])
            .Distinct().Where(ns => !_open.ContainsKey(ns) && NamedNamespaces.Exists(ns)).ToList();
        var handles = new List<NamespaceHandle>();
        try
        {
            foreach (string ns in wanted)
                handles.Add(NamespaceHandle.OpenName(ns));
            var rtnls = NetlinkHandle.OpenEach(handles, out _);
            for (int i = 0; i < handles.Count; i++)
            {
                if (rtnls[i] is { } r)
                    _open[wanted[i]] = (handles[i], r);
                else
                    handles[i].Dispose(); // opened again (with its error) when a step needs it
            }
        }
        catch (NetNsException)
        {
            foreach (var h in handles.Where(h => !_open.Values.Any(p => ReferenceEquals(p.Ns, h))))
                h.Dispose();
            throw;
        }
    }

    private NetlinkHandle Rtnl(string ns) => Open(ns).Rtnl;

    private (NamespaceHandle Ns, NetlinkHandle Rtnl) Open(string ns)
    {
        if (!_open.TryGetValue(ns, out var pair))
        {
            var h = NamespaceHandle.OpenName(ns);
            try
            {
                pair = (h, NetlinkHandle.Open(h));
            }
            catch
            {
                h.Dispose();
                throw;
            }
            _open[ns] = pair;
        }
        return pair;
    }

    // A container's namespace is not deleted: the lab's links and tag are taken out and its name removed.
    private void DetachContainer(string ns)
    {
        Close(ns);
        LabContainers.Detach(_desired.Name, ns);
    }

    private void DeleteNamespace(string ns)
    {
        Close(ns);
        NamedNamespaces.Delete(ns);
    }

    private void Close(string ns)
    {
        if (_open.Remove(ns, out var pair))
        {
            pair.Rtnl.Dispose();
            pair.Ns.Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var (rtnl, ns) in _open.Values.Select(p => (p.Rtnl, p.Ns)))
        {
            rtnl.Dispose();
            ns.Dispose();
        }
        _open.Clear();
        _underlay?.Dispose();
    }
}
