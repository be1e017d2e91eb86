using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>What <see cref="ContainerNetNsDiscovery.Discover"/> should add to the /proc scan.</summary>
public sealed record DiscoveryOptions
{
    /// <summary>Ask the runtimes (Docker, containerd, podman, CRI-O) about their containers.</summary>
    public bool Runtimes { get; init; } = true;

    /// <summary>Read each namespace's interfaces and addresses (one netlink socket per namespace).</summary>
    public bool Interfaces { get; init; } = true;

    /// <summary>Ask the caller's namespace for the id it has for each (one RTM_GETNSID per namespace).</summary>
    public bool NsIds { get; init; } = true;
}

/// <summary>The namespaces found, and one warning per runtime whose state could not be read.</summary>
public sealed record DiscoveryResult(IReadOnlyList<ContainerNetNs> Namespaces, IReadOnlyList<string> Warnings);

/// <summary>
/// Every network namespace in use on this host, as Get-ContainerNetNs lists them: a /proc scan (<see cref="NamespaceProcesses"/>)
/// joined with the runtimes' containers and the names under /run/netns, then, per namespace, its nsid and interfaces.
/// Equivalent to: `lsns -t net` + `ip netns list` + `ip netns list-id` + `docker ps`/`ctr task ls`/`podman ps` +
/// `ip -n NS addr` for each.
/// </summary>
public static class ContainerNetNsDiscovery
{
    /// <summary>
    /// Discovers the namespaces. Never throws for a runtime's state; a namespace that vanishes meanwhile keeps what was
    /// read. A cancelled <paramref name="cancel"/> (Ctrl+C in Get-ContainerNetNs) ends it between steps
    /// (OperationCanceledException).
    /// </summary>
    public static DiscoveryResult Discover(DiscoveryOptions? options = null, CancellationToken cancel = default)
    {
        options ??= new DiscoveryOptions();
        var warnings = new RuntimeWarnings();
        var containers = options.Runtimes ? ContainerNamespaces.List(warnings) : [];
        cancel.ThrowIfCancellationRequested();
        var scan = NamespaceProcesses.Scan();
        cancel.ThrowIfCancellationRequested();
        var list = NamespaceGrouping.Group(scan, containers, NamedIdentities(), OriginalNamespaces.OriginalNet);
        if (options.Interfaces || options.NsIds)
            list = Enrich(list, options, cancel);
        return new DiscoveryResult(list, warnings.Messages);
    }

    private static List<(string, FileIdentity)> NamedIdentities()
    {
        var result = new List<(string, FileIdentity)>();
        foreach (string name in NamedNamespaces.ListNames())
        {
            if (NamespaceFiles.TryIdentity(System.IO.Path.Combine(NamedNamespaces.RunDirectory, name), out var id))
                result.Add((name, id));
        }
        return result;
    }

    // nsids one after the other on one socket; interfaces on a few threads at once (each its own socket in the
    // namespace, opened by NamespaceWorker: no thread here ever changes namespace).
    private static List<ContainerNetNs> Enrich(List<ContainerNetNs> list, DiscoveryOptions options, CancellationToken cancel)
    {
        var handles = new NamespaceHandle?[list.Count];
        var nsids = new int?[list.Count];
        var interfaces = new IReadOnlyList<NetNsInterface>[list.Count];
        try
        {
            using (var rtnl = options.NsIds ? NetlinkHandle.Open() : null)
            {
                for (int i = 0; i < list.Count; i++)
                {
                    try
                    {
                        var h = NamespaceHandle.OpenPath(list[i].Namespace);
                        handles[i] = h;
                        if (h.Identity.Inode != list[i].Inode)
                            continue; // a pid reused since the scan: not that namespace
                        nsids[i] = rtnl?.GetNsId(h);
                    }
                    catch (NetNsException)
                    {
                        // ended (or became unreadable) since the scan: keep what the scan saw
                    }
                }
            }
            if (options.Interfaces)
            {
                FanOut.ForEach(Enumerable.Range(0, list.Count), list.Count, i =>
                {
                    try
                    {
                        if (handles[i] is { } h && h.Identity.Inode == list[i].Inode)
                            interfaces[i] = ReadInterfaces(h);
                    }
                    catch (NetNsException)
                    {
                        // cannot enter it (no CAP_SYS_ADMIN) or it ended: no interfaces
                    }
                }, Math.Clamp(Environment.ProcessorCount, 1, 4), cancel: cancel);
            }
        }
        finally
        {
            foreach (var h in handles)
                h?.Dispose();
        }
        return [.. list.Select((ns, i) => nsids[i] is null && interfaces[i] is not { Count: > 0 } ? ns : new ContainerNetNs
        {
            Inode = ns.Inode, Device = ns.Device, Namespace = ns.Namespace, Names = ns.Names, NsId = nsids[i], IsHost = ns.IsHost,
            Runtime = ns.Runtime, Containers = ns.Containers, PodName = ns.PodName, PodNamespace = ns.PodNamespace,
            Processes = ns.Processes, Interfaces = interfaces[i] ?? [],
        })];
    }

    /// <summary>The links of a namespace with their addresses. Equivalent to: `ip -n NS -br addr`.</summary>
    internal static IReadOnlyList<NetNsInterface> ReadInterfaces(NamespaceHandle ns)
    {
        using var h = NetlinkHandle.Open(ns);
        var links = h.DumpLinks();
        var addrs = h.GetAddresses().ToLookup(a => a.InterfaceIndex);
        return [.. links.OrderBy(l => l.Index).Select(l => new NetNsInterface(l.Name, l.OperStateName,
            [.. addrs[l.Index].Select(a => a.ToString())]))];
    }
}
