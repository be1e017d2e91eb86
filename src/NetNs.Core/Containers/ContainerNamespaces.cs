namespace NetNs.Core;

/// <summary>All containers of every runtime found on this machine.</summary>
public static class ContainerNamespaces
{
    /// <summary>The runtimes discovery knows, as the -Runtime parameters take them.</summary>
    public static IReadOnlyList<string> Runtimes { get; } = ["docker", "containerd", "kubernetes", "podman", "cri-o"];

    /// <summary>
    /// Docker containers (Engine API, else on-disk state), containerd/Kubernetes tasks and podman/CRI-O containers,
    /// sorted by name. A runtime whose state cannot be read is skipped with one line in <paramref name="warnings"/>;
    /// a runtime that is not installed adds nothing. Equivalent to: `docker ps -a`, `ctr task ls`, `podman ps -a`,
    /// `crictl ps` — with each one's network namespace.
    /// </summary>
    public static IReadOnlyList<NetNsContainer> List(RuntimeWarnings? warnings = null)
    {
        warnings ??= new RuntimeWarnings();
        return [.. DockerContainers.List(warnings).Concat(ContainerdTasks.List(warnings)).Concat(PodmanState.List(warnings))
            .OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The containers, filtered as Get-NetNsContainer does: running ones only unless <paramref name="includeStopped"/>,
    /// and of the given runtimes only (case-insensitive) when any are given.
    /// </summary>
    public static IReadOnlyList<NetNsContainer> List(bool includeStopped, IReadOnlyCollection<string>? runtimes = null, RuntimeWarnings? warnings = null) =>
        [.. List(warnings).Where(c => (includeStopped || c.IsRunning)
            && (runtimes is not { Count: > 0 } || runtimes.Contains(c.Runtime, StringComparer.OrdinalIgnoreCase)))];

    /// <summary>
    /// The namespace file to use: the runtime's pinned file when it really holds a network namespace (Docker
    /// can leave a plain empty file behind for a while), else the process's /proc/PID/ns/net.
    /// </summary>
    internal static string? Pick(string? pinned, int pid)
    {
        if (!string.IsNullOrEmpty(pinned) && NamespaceFiles.IsNamespace(pinned))
            return pinned;
        return pid > 0 && Directory.Exists($"/proc/{pid}") ? $"/proc/{pid}/ns/net" : null;
    }
}
