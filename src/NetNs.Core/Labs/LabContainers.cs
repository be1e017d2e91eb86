namespace NetNs.Core;

/// <summary>
/// Containers as lab nodes: a running container's network namespace is attached under the node's name (as
/// `ip netns attach` does), and detached again taking out only what the lab put in it: its tagged links (and with
/// them their addresses and routes) and the loopback's tag. The container keeps its namespace, its own interfaces,
/// routes and sysctls.
/// </summary>
internal static class LabContainers
{
    /// <summary>The containers of every runtime found, to look several up in one listing (<see cref="Find"/>).</summary>
    public static IReadOnlyList<NetNsContainer> Running() => ContainerNamespaces.List();

    /// <summary>
    /// The running container <paramref name="container"/> (its name, its id, or a prefix of 12 or more of its id)
    /// with its network namespace file, from <paramref name="listed"/> (<see cref="Running"/>) or a listing of its
    /// own; NamespaceNotFound when there is none.
    /// Equivalent to: `docker inspect -f '{{.State.Pid}}' NAME`, then /proc/PID/ns/net.
    /// </summary>
    public static NetNsContainer Find(string container, IReadOnlyList<NetNsContainer>? listed = null)
    {
        var running = (listed ?? Running()).Where(c => c.IsRunning && c.Namespace is not null).ToList();
        var found = running.Where(c => c.Name == container || c.Id == container).ToList();
        if (found.Count == 0)
            found = running.Where(c => c.HasIdPrefix(container)).ToList();
        return found switch
        {
            [var one] => one,
            [] => throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "attach container",
                $"no running container '{container}' (Get-ContainerNetNs lists the containers found)", container),
            _ => throw NetNsException.Invalid("attach container", container,
                $"'{container}' names {found.Count} containers ({string.Join(", ", found.Select(c => $"{c.Runtime} {c.Name}"))}): give its id"),
        };
    }

    /// <summary>
    /// Attaches <paramref name="container"/>'s network namespace as <paramref name="ns"/> (a name under /run/netns). A
    /// container whose loopback already carries a label (another lab's tag, or another tool's) is refused: its tag is
    /// what the lab finds its nodes by. Equivalent to: `ip netns attach NS PID`.
    /// </summary>
    public static void Attach(string ns, string container, IReadOnlyList<NetNsContainer>? listed = null)
    {
        var c = Find(container, listed);
        using (var theirs = NamespaceHandle.OpenPath(c.Namespace!))
        {
            if (theirs.Identity == OriginalNamespaces.OriginalNet)
                throw NetNsException.Invalid("attach container", container,
                    $"container '{container}' shares the host's network namespace (--network host): a lab does not change the host's");
        }
        NamedNamespaces.AttachFile(ns, c.Namespace!);
        try
        {
            using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
            if (h.GetLinkMessage("lo").Alias is { Length: > 0 } label)
                throw NetNsException.Invalid("attach container", container,
                    $"the loopback of container '{container}' is labelled '{label}' (another lab's node, or another tool's label): not attached");
        }
        catch
        {
            NamedNamespaces.Delete(ns);
            throw;
        }
    }

    /// <summary>
    /// Takes lab <paramref name="lab"/>'s links (its tagged veths) and its loopback tag out of the attached namespace
    /// <paramref name="ns"/>, then removes the name; the namespace lives on with its container.
    /// Equivalent to: `ip -n NS link del DEV` for each tagged link, `ip -n NS link set lo alias ""`, `ip netns delete NS`.
    /// </summary>
    public static void Detach(string lab, string ns)
    {
        NetNsException? failure = null;
        try
        {
            using var h = NetlinkHandle.Open(NamespaceHandle.OpenName(ns), ownsNamespace: true);
            foreach (var l in h.DumpLinks().Where(l => !l.IsLoopback && LabTags.Parse(l.Alias, lab) is not null))
            {
                try
                {
                    h.DeleteLink(l.Name);
                }
                catch (NetNsException e) when (e.Reason == NetNsErrorReason.LinkNotFound)
                {
                    // gone with its peer meanwhile (the peer's namespace was deleted)
                }
            }
            h.SetLinkAlias("lo", null);
        }
        catch (NetNsException e) when (e.Reason != NetNsErrorReason.NamespaceNotFound)
        {
            failure = e; // the name goes all the same: a lab never keeps a container's namespace alive
        }
        NamedNamespaces.Delete(ns);
        if (failure is not null)
            throw failure;
    }
}
