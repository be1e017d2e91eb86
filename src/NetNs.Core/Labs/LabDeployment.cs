using System.Diagnostics;

namespace NetNs.Core;

/// <summary>A deployment's plan: the changes from what runs to what the definition stands for.</summary>
public sealed class LabPlan
{
    /// <summary>The definition.</summary>
    public required LabDefinition Definition { get; init; }

    /// <summary>What the definition resolves to.</summary>
    public required LabModel Desired { get; init; }

    /// <summary>What was running when the plan was made.</summary>
    public required LabModel Actual { get; init; }

    /// <summary>The changes, in the order they run; empty when the lab already matches.</summary>
    public required IReadOnlyList<LabChange> Changes { get; init; }
}

/// <summary>What a deployment did.</summary>
public sealed class LabDeployResult
{
    /// <summary>The lab.</summary>
    public required string Name { get; init; }

    /// <summary>The changes made.</summary>
    public required IReadOnlyList<LabChange> Changes { get; init; }

    /// <summary>Time to read the running lab and plan.</summary>
    public TimeSpan PlanTime { get; init; }

    /// <summary>Time to make the changes.</summary>
    public TimeSpan ApplyTime { get; init; }
}

/// <summary>
/// Deploys (creates or converges), reads and removes labs: the core of Deploy-, Get- and Remove-NetNsLab.
/// Equivalent to: the `ip netns add` / `ip link add … type veth|bridge` / `ip addr add` / `ip route add` /
/// `sysctl -w` script the definition stands for, or the part of it that differs from what runs.
/// </summary>
public static class LabDeployment
{
    private const int DeleteParallelism = 4;

    /// <summary>Plans a deployment: the changes from the running lab (read from the kernel's tags) to the definition.</summary>
    public static LabPlan Plan(LabDefinition definition, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var desired = LabResolver.Resolve(definition);
        var actual = RunningLabReader.Read(definition.Name, LabReadDetail.NoSysctls, cancel);
        // Stale mount points (a deploy killed between making a name's file and binding its namespace) are no
        // namespace: Apply removes them, or the creation of that name takes the file over. A live namespace with the
        // prefix and no tag was not made by the lab (the lab tags a namespace before it has a name): refused.
        if (actual.Untagged.FirstOrDefault(IsLive) is { } foreign)
            throw NetNsException.Invalid("deploy lab", foreign,
                $"the namespace '{foreign}' has the lab's name prefix '{definition.Name}-' but no lab tag: it was not made by lab '{definition.Name}'; remove it (Remove-NetNamespace) or choose another lab name");
        if (desired.Vxlans.Any(v => !actual.Vxlans.Any(a => a.SameDevice(v))))
            LabVxlanClash.Check(desired); // a VNI another lab has here: refused before anything changes
        var restarted = RestartedContainers(desired, actual);
        var handles = new Dictionary<string, NamespaceHandle>();
        try
        {
            string? Read(string ns, string key)
            {
                try
                {
                    if (!handles.TryGetValue(ns, out var h))
                        handles[ns] = h = NamespaceHandle.OpenName(ns);
                    return Sysctl.Get(h, key);
                }
                catch (NetNsException)
                {
                    return null;
                }
            }
            var planned = LabPlanner.Plan(desired, actual, Read, restarted);
            IReadOnlyList<LabChange> changes = [.. planned, .. LabVxlanPlanner.Plan(desired, actual, planned), .. LabImpairments.Plan(definition, actual, planned)];
            return new LabPlan { Definition = definition, Desired = desired, Actual = actual, Changes = changes };
        }
        finally
        {
            foreach (var h in handles.Values)
                h.Dispose();
        }
    }

    // The container nodes attached earlier whose container has a new namespace now (it restarted): the plan detaches
    // the old one (taking the lab's links out of it, which frees it) and attaches the new one with all in it. A
    // container that is not running any more cannot be attached again: one error, before anything is changed.
    private static HashSet<string> RestartedContainers(LabModel desired, LabModel actual)
    {
        var restarted = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<NetNsContainer>? listed = null;
        foreach (var have in actual.Namespaces.Where(n => n.Container is not null))
        {
            if (desired.Namespaces.FirstOrDefault(d => d.Name == have.Name) is not { Container: string wanted } || wanted != have.Container)
                continue; // it goes, or becomes another node: detached either way
            NetNsContainer c;
            try
            {
                c = LabContainers.Find(wanted, listed ??= LabContainers.Running());
            }
            catch (NetNsException e) when (e.Reason == NetNsErrorReason.NamespaceNotFound)
            {
                throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "deploy lab",
                    $"container '{wanted}' of node '{have.Member}' is not running any more: start it, or remove the node (Remove-NetNsLab {desired.Name} removes the lab)", have.Name);
            }
            using var attached = NamespaceHandle.OpenName(have.Name);
            using var current = NamespaceHandle.OpenPath(c.Namespace!);
            if (attached.Identity != current.Identity)
                restarted.Add(have.Name);
        }
        return restarted;
    }

    /// <summary>
    /// Runs a plan (see <see cref="LabExecutor"/>): all of it, or on failure none of its additions; a cancelled
    /// <paramref name="cancel"/> (Ctrl+C) stops it between steps and undoes its additions as a failure does.
    /// </summary>
    public static TimeSpan Apply(LabPlan plan, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var wanted = plan.Desired.Namespaces.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (string stale in plan.Actual.Untagged.Where(ns => !wanted.Contains(ns)))
            NamedNamespaces.DeleteLeftover(stale); // a killed deploy's mount point with no namespace on it
        if (plan.Changes.Count == 0)
            return TimeSpan.Zero;
        using var executor = new LabExecutor(plan.Desired);
        return executor.Execute(plan.Changes, cancel);
    }

    /// <summary>Plans and applies.</summary>
    public static LabDeployResult Deploy(LabDefinition definition, CancellationToken cancel = default)
    {
        var sw = Stopwatch.StartNew();
        var plan = Plan(definition, cancel);
        var planTime = sw.Elapsed;
        var applyTime = Apply(plan, cancel);
        return new LabDeployResult { Name = definition.Name, Changes = plan.Changes, PlanTime = planTime, ApplyTime = applyTime };
    }

    /// <summary>
    /// The namespaces Remove would delete: the lab's tagged namespaces, and stale files with its prefix
    /// (a crash between creating a namespace file and mounting it). Untagged, live namespaces are never included.
    /// </summary>
    public static IReadOnlyList<string> RemovalTargets(LabModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var stale = m.Untagged.Where(ns => !IsLive(ns));
        return m.Namespaces.Select(n => n.Name).Concat(stale).ToList();
    }

    /// <summary>
    /// Removes what lab <paramref name="lab"/> made, found by its tags: every namespace it tagged (and with it every
    /// link in it) and stale files with its prefix. Namespaces with the prefix but without the tag are left alone
    /// and returned in <paramref name="leftAlone"/>. Equivalent to: `ip netns delete LAB-…` for each.
    /// </summary>
    public static IReadOnlyList<string> Remove(string lab, out IReadOnlyList<string> leftAlone, CancellationToken cancel = default) =>
        Remove(RunningLabReader.Read(lab ?? throw new ArgumentNullException(nameof(lab)), LabReadDetail.Namespaces), out leftAlone, cancel);

    /// <summary>Removes what <see cref="RunningLabReader.Read"/> found of a lab (its namespaces, at least); as the overload that takes the lab's name.</summary>
    public static IReadOnlyList<string> Remove(LabModel m, out IReadOnlyList<string> leftAlone, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(m);
        var removed = new List<string>();
        var left = new List<string>();
        foreach (string ns in m.Untagged)
        {
            if (NamedNamespaces.DeleteLeftover(ns))
                removed.Add(ns);
            else if (NamedNamespaces.Exists(ns))
                left.Add(ns);
        }
        // A container's namespace is detached: the lab's links and tag taken out, its name removed.
        NetNsException? detachError = null;
        foreach (var n in m.Namespaces.Where(n => n.Container is not null))
        {
            try
            {
                LabContainers.Detach(m.Name, n.Name);
                removed.Add(n.Name);
            }
            catch (NetNsException e)
            {
                detachError ??= e; // go on, as for the deletes
            }
        }
        DeleteVxlans(m);
        // A few at a time: each delete is an umount and an unlink that mostly wait in the kernel (its cleanup of the
        // namespace is asynchronous), and several in flight take about half the time of one after the other.
        var tagged = m.Namespaces.Where(n => n.Container is null).Select(n => n.Name).ToArray();
        var errors = new NetNsException?[tagged.Length];
        FanOut.ForEach(Enumerable.Range(0, tagged.Length), tagged.Length, i =>
        {
            try
            {
                NamedNamespaces.Delete(tagged[i]);
            }
            catch (NetNsException e)
            {
                errors[i] = e; // go on: remove all that can be removed, then report
            }
        }, DeleteParallelism, cancel: cancel);
        removed.AddRange(tagged.Where((_, i) => errors[i] is null));
        var first = detachError ?? errors.FirstOrDefault(e => e is not null);
        leftAlone = left;
        if (first is not null)
            throw first;
        return removed;
    }

    // A VXLAN port's UDP socket is in the host's own namespace, and its VNI stays taken on that port until the device
    // goes; a deleted namespace is cleaned up by the kernel later (asynchronously), so a deploy right after Remove
    // found the VNI still taken. So the lab's VXLAN ports go first, each deleted and gone when this returns. Equivalent
    // to: `ip -n LAB-NETWORK link del vxVNI`.
    private static void DeleteVxlans(LabModel m)
    {
        foreach (var n in m.Namespaces.Where(n => n.Role == LabRole.Network && n.Container is null))
        {
            try
            {
                using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(n.Name), ownsNamespace: true);
                foreach (var link in h.GetLinks().Where(l => l.Kind == "vxlan"))
                    h.DeleteLink(link.Name);
            }
            catch (NetNsException)
            {
                // the namespace's delete below reports what is wrong with it
            }
        }
    }

    private static bool IsLive(string ns)
    {
        try
        {
            NamespaceHandle.OpenName(ns).Dispose();
            return true;
        }
        catch (NetNsException)
        {
            return false;
        }
    }
}
