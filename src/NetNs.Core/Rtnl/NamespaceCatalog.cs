using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>
/// Named namespaces as `ip netns list` and `ip netns identify` show them: with the id the caller's namespace has
/// for each (a netlink query, which is why this lives above the namespace layer, not in NamedNamespaces).
/// </summary>
public static class NamespaceCatalog
{
    /// <summary>
    /// The named namespaces, sorted by name, with the id the caller's namespace has for each.
    /// Equivalent to: `ip netns list`. A file with no namespace mounted on it (left by a crash) is listed too,
    /// with State Stale, as ip lists it, so it can be seen and removed.
    /// </summary>
    public static IReadOnlyList<NetNamespace> List()
    {
        var result = new List<NetNamespace>();
        NetlinkHandle? rtnl = null;
        try
        {
            foreach (string name in NamedNamespaces.ListNames())
            {
                NamespaceHandle h;
                try
                {
                    h = NamespaceHandle.OpenPath(System.IO.Path.Combine(NamedNamespaces.RunDirectory, name), name);
                }
                catch (NetNsException)
                {
                    string path = System.IO.Path.Combine(NamedNamespaces.RunDirectory, name);
                    if (File.Exists(path) && !StaleMountPoints.IsMountPoint(path))
                        result.Add(new NetNamespace { Name = name, Path = path, State = NamespaceState.Stale });
                    continue; // or it vanished meanwhile
                }
                using (h)
                {
                    rtnl ??= NetlinkHandle.Open();
                    result.Add(NamedNamespaces.Describe(h, rtnl.GetNsId(h)));
                }
            }
        }
        finally
        {
            rtnl?.Dispose();
        }
        return result;
    }

    /// <summary>Describes one named namespace; NamespaceNotFound when there is none of that name.</summary>
    public static NetNamespace Describe(string name)
    {
        using var h = NamespaceHandle.OpenName(name);
        using var rtnl = NetlinkHandle.Open();
        return NamedNamespaces.Describe(h, rtnl.GetNsId(h));
    }

    /// <summary>
    /// The namespace process <paramref name="pid"/> is in: one entry per name it has under /run/netns, or one
    /// unnamed entry (Path /proc/PID/ns/net) when it has none. Equivalent to: `ip netns identify PID`.
    /// </summary>
    public static IReadOnlyList<NetNamespace> Identify(int pid)
    {
        using var h = NamespaceHandle.OpenProcess(pid);
        using var rtnl = NetlinkHandle.Open();
        int? nsid = rtnl.GetNsId(h);
        var names = NamedNamespaces.FindNames(h.Identity);
        NetNamespace Entry(string? name) => new()
        {
            Name = name,
            Path = name is null ? h.Path : System.IO.Path.Combine(NamedNamespaces.RunDirectory, name),
            NsId = nsid,
            Inode = h.Identity.Inode,
            Device = h.Identity.Device,
            ProcessId = pid,
        };
        return names.Count == 0 ? [Entry(null)] : names.Select(Entry).ToList();
    }

}
