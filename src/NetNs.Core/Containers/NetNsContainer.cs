namespace NetNs.Core;

/// <summary>
/// A container found on this machine, with the network namespace it runs in. Its <see cref="Namespace"/>
/// is a path the -Namespace parameters accept, so the object pipes into the link/address/route cmdlets.
/// </summary>
public sealed class NetNsContainer
{
    /// <summary>"docker", "containerd", "kubernetes" (a CRI container or pod sandbox under containerd), "podman" or "cri-o".</summary>
    public string Runtime { get; init; } = "";

    /// <summary>The container id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Its name: Docker's name without the leading '/', the Kubernetes container or pod name, else the id.</summary>
    public string Name { get; init; } = "";

    /// <summary>Image reference, when the runtime records one.</summary>
    public string? Image { get; init; }

    /// <summary>running, exited, created …</summary>
    public string State { get; init; } = "";

    /// <summary>The container's init process, when running.</summary>
    public int? ProcessId { get; init; }

    /// <summary>
    /// The file that holds its network namespace (Docker's sandbox key, a CNI-pinned /run/netns/cni-…, or
    /// /proc/PID/ns/net); null when it is not running or shares the host's namespace.
    /// </summary>
    public string? Namespace { get; init; }

    /// <summary>Docker's network mode (default, bridge, none, host, container:ID) or the runtime's equivalent.</summary>
    public string? NetworkMode { get; init; }

    /// <summary>The first IP address the runtime assigned (Docker networks), if any.</summary>
    public string? IPAddress { get; init; }

    /// <summary>Kubernetes: the pod's name.</summary>
    public string? PodName { get; init; }

    /// <summary>Kubernetes: the pod's namespace (for a plain containerd task: its containerd namespace).</summary>
    public string? PodNamespace { get; init; }

    /// <summary>Kubernetes: the pod's uid.</summary>
    public string? PodUid { get; init; }

    /// <summary>"sandbox" for a pod's pause/infra container that holds its namespace, "container" for the others.</summary>
    public string? Role { get; init; }

    /// <summary>A copy with another namespace path and address (a container sharing another's network).</summary>
    internal NetNsContainer With(string? ns, string? ip) => new()
    {
        Runtime = Runtime, Id = Id, Name = Name, Image = Image, State = State, ProcessId = ProcessId, Namespace = ns,
        NetworkMode = NetworkMode, IPAddress = ip, PodName = PodName, PodNamespace = PodNamespace, PodUid = PodUid, Role = Role,
    };

    /// <summary>The name.</summary>
    public override string ToString() => Name;

    /// <summary>Whether the runtime reports it running (it then has a namespace).</summary>
    public bool IsRunning => State == "running";

    /// <summary>Whether <paramref name="text"/> is a prefix of the id long enough to mean it (12 characters, as `docker ps` shows ids).</summary>
    public bool HasIdPrefix(string text) => text.Length >= 12 && Id.StartsWith(text, StringComparison.OrdinalIgnoreCase);
}
