using System.Globalization;

namespace NetNs.Core;

/// <summary>An interface inside a discovered namespace, with its addresses ("198.18.0.2/24").</summary>
public sealed record NetNsInterface(string Name, string OperationalState, IReadOnlyList<string> IPAddress)
{
    /// <summary>"eth0 198.18.0.2/24".</summary>
    public override string ToString() => IPAddress.Count == 0 ? Name : $"{Name} {string.Join(",", IPAddress)}";
}

/// <summary>
/// One network namespace in use on this host (identity: device and inode of its nsfs file), with everything known
/// about it: its names under /run/netns, the id the caller's namespace has for it, the containers and pod in it, its
/// processes and interfaces. Several containers sharing a namespace (a pod, `--net=container:`) are one object.
/// <see cref="Namespace"/> is a path the -Namespace parameters accept, so the object pipes into every cmdlet.
/// </summary>
public sealed class ContainerNetNs
{
    /// <summary>Inode of its nsfs file (net:[INODE] in `readlink /proc/PID/ns/net`, NS in `lsns`).</summary>
    public ulong Inode { get; init; }

    /// <summary>Device of its nsfs file; with <see cref="Inode"/> its identity.</summary>
    public ulong Device { get; init; }

    /// <summary>
    /// A file that opens it: /run/netns/NAME when it has a name, else the runtime's pinned file (Docker's sandbox,
    /// /run/netns/cni-…), else /proc/PID/ns/net of its first container's or process's pid.
    /// </summary>
    public string Namespace { get; init; } = "";

    /// <summary>Its names under /run/netns (`ip netns list`), if any.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>The id the caller's namespace has for it (`ip netns list-id`), null when none is assigned.</summary>
    public int? NsId { get; init; }

    /// <summary>Whether it is this process's own (original) namespace: the host's, for a pwsh on the host.</summary>
    public bool IsHost { get; init; }

    /// <summary>The runtimes of the containers in it (docker, containerd, kubernetes, podman, cri-o), sorted.</summary>
    public IReadOnlyList<string> Runtime { get; init; } = [];

    /// <summary>The containers in it: the sandbox (pause) first, then by name.</summary>
    public IReadOnlyList<NetNsContainer> Containers { get; init; } = [];

    /// <summary>The pod it belongs to (Kubernetes), if any.</summary>
    public string? PodName { get; init; }

    /// <summary>The pod's Kubernetes namespace.</summary>
    public string? PodNamespace { get; init; }

    /// <summary>The processes in it (pid and command), pids ascending. Kernel threads are left out.</summary>
    public IReadOnlyList<NetNsProcess> Processes { get; init; } = [];

    /// <summary>The ids of <see cref="Processes"/>.</summary>
    public IReadOnlyList<int> ProcessId => [.. Processes.Select(p => p.ProcessId)];

    /// <summary>Its interfaces with their addresses; empty when they could not be read (or were not asked for).</summary>
    public IReadOnlyList<NetNsInterface> Interfaces { get; init; } = [];

    /// <summary>
    /// What to call it: the pod, else its containers' names, else its /run/netns names, else "host" for the
    /// caller's own, else the first process's command; with net:[INODE] when nothing else.
    /// </summary>
    public string DisplayName =>
        PodName is not null ? (PodNamespace is null ? PodName : $"{PodNamespace}/{PodName}")
        : Containers.Count > 0 ? string.Join(",", Containers.Select(c => c.Name))
        : Names.Count > 0 ? string.Join(",", Names)
        : IsHost ? "host"
        : Processes.Count > 0 ? Processes[0].Command
        : string.Create(CultureInfo.InvariantCulture, $"net:[{Inode}]");

    /// <summary>
    /// The names -Name matches against: container names and ids, the pod, the /run/netns names, and the namespace path
    /// (so an object piped back in finds itself).
    /// </summary>
    public IEnumerable<string> MatchNames()
    {
        yield return Namespace;
        foreach (var c in Containers)
        {
            yield return c.Name;
            yield return c.Id;
        }
        if (PodName is not null)
            yield return PodName;
        foreach (string n in Names)
            yield return n;
    }

    /// <summary>The namespace path (what -Namespace takes back).</summary>
    public override string ToString() => Namespace;
}
