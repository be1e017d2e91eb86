namespace NetNs.Core;

/// <summary>
/// Diffs what a definition stands for against what runs, into the changes that make the one the other, in the
/// order the executor runs them: removals first (routes, addresses, veths, bridges, then namespaces), then
/// additions (namespaces, bridges, veths, property changes, addresses, routes, sysctls, NAT). Objects inside a
/// namespace that goes are not listed on their own; an unchanged lab gives no change at all.
/// </summary>
public static class LabPlanner
{
    /// <summary>
    /// The changes from <paramref name="actual"/> to <paramref name="desired"/>; <paramref name="readSysctl"/> gives a
    /// sysctl's current value in an existing namespace (null when it cannot be read).
    /// </summary>
    public static List<LabChange> Plan(LabModel desired, LabModel actual, Func<string, string, string?> readSysctl) =>
        Plan(desired, actual, readSysctl, null);

    /// <summary>
    /// As <see cref="Plan(LabModel, LabModel, Func{string, string, string?})"/>; the namespaces in
    /// <paramref name="remake"/> are removed and added again with all in them although their spec is unchanged
    /// (a container node whose container restarted: the namespace the lab attached is not the container's any more).
    /// </summary>
    public static List<LabChange> Plan(LabModel desired, LabModel actual, Func<string, string, string?> readSysctl, IReadOnlySet<string>? remake)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(readSysctl);
        string lab = desired.Name;
        var plan = new List<LabChange>();
        var wantedNs = desired.Namespaces.Select(n => n.Name).ToHashSet();
        var haveNs = actual.Namespaces.Select(n => n.Name).ToHashSet();
        bool Staying(string ns) => wantedNs.Contains(ns) && haveNs.Contains(ns);
        LabChange C(LabChangeAction a, LabObjectKind k, string ns, string target, string? detail, object spec) =>
            new() { Lab = lab, Action = a, Kind = k, Namespace = ns, Target = target, Detail = detail, Spec = spec };

        // A veth whose ends moved, or a namespace whose role changed, is removed and added again.
        var actualNs = actual.Namespaces.GroupBy(n => n.Name).ToDictionary(g => g.Key, g => g.First());
        var roleChanged = desired.Namespaces.Where(d => actualNs.TryGetValue(d.Name, out var a) && (a != d || remake?.Contains(d.Name) == true))
            .Select(d => d.Name).ToHashSet();
        // Sets, not lists: the lookups below run once per object (N^2 on lists for a lab of hundreds of nodes).
        var desiredRoutes = desired.Routes.ToHashSet();
        var actualRoutes = actual.Routes.ToHashSet();
        var desiredAddresses = desired.Addresses.ToHashSet();
        var actualAddresses = actual.Addresses.ToHashSet();
        var desiredVeths = desired.Veths.ToDictionary(v => v.Key);
        var actualVeths = actual.Veths.ToDictionary(v => v.Key);
        // A veth with an end in a namespace made again goes too (it is made again with it): from its staying end,
        // below, as a gone one, so its names are free before the new one is made.
        var goneVeths = actual.Veths.Where(v => !desiredVeths.ContainsKey(v.Key)
            || roleChanged.Contains(v.Namespace) || roleChanged.Contains(v.PeerNamespace)).ToList();
        var goneLinks = goneVeths.SelectMany(v => new[] { (v.Namespace, v.Name), (v.PeerNamespace, v.PeerName) })
            .Concat(actual.Bridges.Where(b => !desired.Bridges.Any(d => d.Namespace == b.Namespace && d.Name == b.Name)).Select(b => (b.Namespace, b.Name)))
            .ToHashSet();

        // ---- removals ----
        foreach (var r in actual.Routes.Where(r => Staying(r.Namespace) && !roleChanged.Contains(r.Namespace) && !desiredRoutes.Contains(r)))
            plan.Add(C(LabChangeAction.Remove, LabObjectKind.Route, r.Namespace, r.Destination.ToString(), "via " + r.Gateway, r));
        foreach (var a in actual.Addresses.Where(a => Staying(a.Namespace) && !roleChanged.Contains(a.Namespace)
                     && !goneLinks.Contains((a.Namespace, a.Link)) && !desiredAddresses.Contains(a)))
            plan.Add(C(LabChangeAction.Remove, LabObjectKind.Address, a.Namespace, a.Prefix.ToString(), "on " + a.Link, a));
        // A veth with an end in a namespace that stays is deleted from there, even when its other namespace goes:
        // the kernel destroys a deleted namespace's links asynchronously, and the staying end must go at once.
        foreach (var v in goneVeths.Where(v => (Staying(v.Namespace) && !roleChanged.Contains(v.Namespace)) || (Staying(v.PeerNamespace) && !roleChanged.Contains(v.PeerNamespace))))
        {
            bool fromPeer = !Staying(v.Namespace) || roleChanged.Contains(v.Namespace);
            plan.Add(fromPeer
                ? C(LabChangeAction.Remove, LabObjectKind.Veth, v.PeerNamespace, v.PeerName, $"peer {v.Namespace}:{v.Name}", v)
                : C(LabChangeAction.Remove, LabObjectKind.Veth, v.Namespace, v.Name, $"peer {v.PeerNamespace}:{v.PeerName}", v));
        }
        foreach (var b in actual.Bridges.Where(b => Staying(b.Namespace) && goneLinks.Contains((b.Namespace, b.Name))))
            plan.Add(C(LabChangeAction.Remove, LabObjectKind.Bridge, b.Namespace, b.Name, null, b));
        foreach (var n in actual.Nat.Where(n => Staying(n.Node) && !roleChanged.Contains(n.Node) && !desired.Nat.Contains(n)))
            plan.Add(C(LabChangeAction.Remove, LabObjectKind.Nat, n.Node, n.Interface, "masquerade", n));
        foreach (var n in actual.Namespaces.Where(n => !wantedNs.Contains(n.Name) || roleChanged.Contains(n.Name)))
            plan.Add(C(LabChangeAction.Remove, LabObjectKind.Namespace, n.Name, n.Name, n.Role.ToString().ToLowerInvariant(), n));

        // ---- additions ----
        bool New(string ns) => !haveNs.Contains(ns) || roleChanged.Contains(ns);
        foreach (var n in desired.Namespaces.Where(n => New(n.Name)))
            plan.Add(C(LabChangeAction.Add, LabObjectKind.Namespace, n.Name, n.Name, n.Role.ToString().ToLowerInvariant(), n));
        var newLinks = new HashSet<(string, string)>();
        foreach (var b in desired.Bridges)
        {
            var have = New(b.Namespace) ? null : actual.Bridges.FirstOrDefault(x => x.Namespace == b.Namespace && x.Name == b.Name);
            if (have is null)
            {
                newLinks.Add((b.Namespace, b.Name));
                plan.Add(C(LabChangeAction.Add, LabObjectKind.Bridge, b.Namespace, b.Name, b.Subnets, b));
            }
            else if (b.Mtu is int mtu && have.Mtu != mtu)
                plan.Add(C(LabChangeAction.Set, LabObjectKind.Bridge, b.Namespace, b.Name, "mtu " + mtu, b));
            else if (have.Subnets != b.Subnets || have.Gateway != b.Gateway)
                plan.Add(C(LabChangeAction.Set, LabObjectKind.Bridge, b.Namespace, b.Name, "tag " + b.Subnets + " " + b.Gateway, b));
        }
        foreach (var v in desired.Veths)
        {
            bool exists = !New(v.Namespace) && !New(v.PeerNamespace) && actualVeths.ContainsKey(v.Key);
            if (!exists)
            {
                newLinks.Add((v.Namespace, v.Name));
                newLinks.Add((v.PeerNamespace, v.PeerName));
                plan.Add(C(LabChangeAction.Add, LabObjectKind.Veth, v.Namespace, v.Name, $"peer {v.PeerNamespace}:{v.PeerName}", v));
                continue;
            }
            var have = actualVeths[v.Key];
            if ((v.Mtu is int mtu && have.Mtu != mtu) || have.PeerMaster != v.PeerMaster)
                plan.Add(C(LabChangeAction.Set, LabObjectKind.Veth, v.Namespace, v.Name,
                    (v.Mtu is int m2 && have.Mtu != m2 ? "mtu " + m2 + " " : "") + (have.PeerMaster != v.PeerMaster ? "master " + v.PeerMaster : ""), v));
        }
        foreach (var a in desired.Addresses.Where(a => New(a.Namespace) || newLinks.Contains((a.Namespace, a.Link)) || !actualAddresses.Contains(a)))
            plan.Add(C(LabChangeAction.Add, LabObjectKind.Address, a.Namespace, a.Prefix.ToString(), "on " + a.Link, a));
        // A route out of a link made again here (its veth's ends or name changed) went with the old link: add it again.
        // One whose next hop is on a subnet whose address this plan removes (a member renumbered) may have gone with
        // that address (IPv4 flushes the routes through it): set it again (replace, whether it went or not).
        var addressesIn = desired.Addresses.ToLookup(a => a.Namespace);
        var removedAddresses = plan.Where(c => c is { Kind: LabObjectKind.Address, Action: LabChangeAction.Remove }).Select(c => (LabAddressSpec)c.Spec).ToList();
        bool OutOfNewLink(LabRouteSpec r) => addressesIn[r.Namespace].Any(a => newLinks.Contains((a.Namespace, a.Link)) && a.Prefix.Contains(r.Gateway));
        bool OutOfRenumbered(LabRouteSpec r) => removedAddresses.Any(a => a.Namespace == r.Namespace && a.Prefix.Contains(r.Gateway));
        foreach (var r in desired.Routes)
        {
            if (New(r.Namespace) || !actualRoutes.Contains(r) || OutOfNewLink(r))
                plan.Add(C(LabChangeAction.Add, LabObjectKind.Route, r.Namespace, r.Destination.ToString(), "via " + r.Gateway, r));
            else if (OutOfRenumbered(r))
                plan.Add(C(LabChangeAction.Set, LabObjectKind.Route, r.Namespace, r.Destination.ToString(), "via " + r.Gateway + " (again: its subnet's address changed)", r));
        }
        foreach (var s in desired.Sysctls.Where(s => New(s.Namespace) || readSysctl(s.Namespace, s.Key) != s.Value))
            plan.Add(C(LabChangeAction.Set, LabObjectKind.Sysctl, s.Namespace, s.Key, s.Value, s));
        foreach (var n in desired.Nat.Where(n => New(n.Node) || !actual.Nat.Contains(n)))
            plan.Add(C(LabChangeAction.Add, LabObjectKind.Nat, n.Node, n.Interface, "masquerade", n));
        return plan;
    }
}
