namespace NetNs.Core;

/// <summary>All containers of every runtime found on this machine.</summary>
public static class ContainerNamespaces
{
    /// <summary>
    /// Docker containers and containerd/Kubernetes tasks, sorted by name.
    /// Equivalent to: `docker ps -a`, `ctr task ls`, `crictl ps` — with each one's network namespace.
    /// </summary>
    public static IReadOnlyList<NetNsContainer> List()
    {
        try
        {
            return [.. DockerContainers.List().Concat(ContainerdTasks.List()).OrderBy(c => c.Name, StringComparer.Ordinal)];
        }
        catch (UnauthorizedAccessException e)
        {
            throw new NetNsException(NetNsErrorReason.PermissionDenied, "list containers",
                "cannot read the container runtimes' state: run as root", null, Interop.Errno.EACCES, inner: e);
        }
    }

    /// <summary>
    /// The containers, filtered as Get-NetNsContainer does: running ones only unless <paramref name="includeStopped"/>,
    /// and of the given runtimes only (docker, containerd; case-insensitive) when any are given.
    /// </summary>
    public static IReadOnlyList<NetNsContainer> List(bool includeStopped, IReadOnlyCollection<string>? runtimes = null) =>
        [.. List().Where(c => (includeStopped || c.IsRunning)
            && (runtimes is not { Count: > 0 } || runtimes.Contains(c.Runtime, StringComparer.OrdinalIgnoreCase)))];

    /// <summary>
    /// The namespace file to use: the runtime's pinned file when it really holds a network namespace (Docker
    /// can leave a plain empty file behind for a while), else the process's /proc/PID/ns/net.
    /// </summary>
    internal static string? Pick(string? pinned, int pid)
    {
        if (!string.IsNullOrEmpty(pinned))
        {
            try
            {
                NamespaceHandle.OpenPath(pinned).Dispose();
                return pinned;
            }
            catch (NetNsException)
            {
                // not (or no longer) a namespace: fall back to the process
            }
        }
        return pid > 0 && Directory.Exists($"/proc/{pid}") ? $"/proc/{pid}/ns/net" : null;
    }
}
