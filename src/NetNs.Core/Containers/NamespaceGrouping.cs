using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>
/// Puts the pieces of discovery together by namespace identity: the /proc scan's processes, the runtimes'
/// containers (by their pid's namespace, else their pinned file), and the names under /run/netns. A namespace that
/// only a file pins (a named namespace with no process, a pod sandbox whose pause exited) is one object too.
/// </summary>
internal static class NamespaceGrouping
{
    public static List<ContainerNetNs> Group(Dictionary<FileIdentity, List<NetNsProcess>> scan, IEnumerable<NetNsContainer> containers,
        IReadOnlyList<(string Name, FileIdentity Id)> named, FileIdentity host)
    {
        var pidToNs = new Dictionary<int, FileIdentity>();
        foreach (var (id, procs) in scan)
            foreach (var p in procs)
                pidToNs[p.ProcessId] = id;

        var byNs = new Dictionary<FileIdentity, List<NetNsContainer>>();
        var pinned = new Dictionary<FileIdentity, string>();
        foreach (var c in containers)
        {
            if (!c.IsRunning)
                continue;
            FileIdentity id;
            if (c.ProcessId is int pid && pidToNs.TryGetValue(pid, out var viaPid))
                id = viaPid;
            else if (c.Namespace is { } path && NamespaceFiles.TryIdentity(path, out var viaFile))
                id = viaFile;
            else
                continue;
            if (!byNs.TryGetValue(id, out var list))
                byNs[id] = list = [];
            list.Add(c);
            if (c.Namespace is { } p2 && !p2.StartsWith("/proc/", StringComparison.Ordinal))
                pinned.TryAdd(id, p2);
        }
        var names = named.GroupBy(n => n.Id).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(n => n.Name).Order(StringComparer.Ordinal)]);

        var all = new HashSet<FileIdentity>(scan.Keys);
        all.UnionWith(byNs.Keys);
        all.UnionWith(names.Keys);
        var result = new List<ContainerNetNs>(all.Count);
        foreach (var id in all)
        {
            var procs = scan.TryGetValue(id, out var ps) ? ps : [];
            var cs = byNs.TryGetValue(id, out var l)
                ? l.OrderBy(c => c.Role == "sandbox" ? 0 : 1).ThenBy(c => c.Name, StringComparer.Ordinal).ToList()
                : [];
            var nsNames = names.TryGetValue(id, out var n) ? n : [];
            string? path = id == host ? $"/proc/{Environment.ProcessId}/ns/net"
                : nsNames.Count > 0 ? System.IO.Path.Combine(NamedNamespaces.RunDirectory, nsNames[0])
                : pinned.TryGetValue(id, out var pp) ? pp
                : cs.FirstOrDefault(c => c.ProcessId is not null) is { ProcessId: int cpid } ? $"/proc/{cpid}/ns/net"
                : procs.Count > 0 ? $"/proc/{procs[0].ProcessId}/ns/net"
                : null;
            if (path is null)
                continue;
            var pod = cs.FirstOrDefault(c => c.PodName is not null);
            result.Add(new ContainerNetNs
            {
                Inode = id.Inode,
                Device = id.Device,
                Namespace = path,
                Names = nsNames,
                IsHost = id == host,
                Runtime = [.. cs.Select(c => c.Runtime).Distinct().Order(StringComparer.Ordinal)],
                Containers = cs,
                PodName = pod?.PodName,
                PodNamespace = pod?.PodNamespace,
                Processes = procs,
            });
        }
        // The host first, then containers' namespaces by name, then the rest by inode.
        return [.. result.OrderBy(r => r.IsHost ? 0 : r.Containers.Count > 0 ? 1 : 2)
            .ThenBy(r => r.Containers.Count > 0 ? r.DisplayName : "", StringComparer.Ordinal).ThenBy(r => r.Inode)];
    }
}
