using System.Globalization;
using System.Text.Json;

namespace NetNs.Core;

/// <summary>
/// containerd tasks (ctr, nerdctl, Kubernetes CRI) read from their bundles under
/// /run/containerd/io.containerd.runtime.v2.task/NS/ID/ (config.json is the OCI spec; init.pid the process).
/// Docker's own tasks (containerd namespace "moby") are left to <see cref="DockerContainers"/>.
/// </summary>
public static class ContainerdTasks
{
    /// <summary>containerd's v2 runtime state directory.</summary>
    public const string DefaultStateDirectory = "/run/containerd/io.containerd.runtime.v2.task";

    private const string CriType = "io.kubernetes.cri.container-type";

    /// <summary>Running containerd tasks. Equivalent to: `ctr -n NS task ls` (every NS) and `crictl ps`/`crictl pods`.</summary>
    public static IReadOnlyList<NetNsContainer> List(string stateDirectory = DefaultStateDirectory)
    {
        if (!Directory.Exists(stateDirectory))
            return [];
        var result = new List<NetNsContainer>();
        foreach (string nsDir in Directory.EnumerateDirectories(stateDirectory))
        {
            if (Path.GetFileName(nsDir) == "moby")
                continue;
            foreach (string bundle in Directory.EnumerateDirectories(nsDir))
            {
                if (Read(bundle, Path.GetFileName(nsDir)) is { } c)
                    result.Add(c);
            }
        }
        return result.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    private static NetNsContainer? Read(string bundle, string containerdNamespace)
    {
        try
        {
            string id = Path.GetFileName(bundle);
            int pid = int.TryParse(File.ReadAllText(Path.Combine(bundle, "init.pid")).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : 0;
            using var spec = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bundle, "config.json")));
            var root = spec.RootElement;
            string? netPath = null;
            bool hasNetNs = false;
            if (root.TryGetProperty("linux", out var linux) && linux.TryGetProperty("namespaces", out var nss) && nss.ValueKind == JsonValueKind.Array)
            {
                foreach (var ns in nss.EnumerateArray())
                {
                    if (DockerContainers.Str(ns, "type") == "network")
                    {
                        hasNetNs = true;
                        netPath = DockerContainers.Str(ns, "path");
                    }
                }
            }
            var ann = root.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
            string? criType = ann.ValueKind == JsonValueKind.Object ? DockerContainers.Str(ann, CriType) : null;
            string? pod = criType is null ? null : DockerContainers.Str(ann, "io.kubernetes.cri.sandbox-name");
            string? name = criType == "container" ? DockerContainers.Str(ann, "io.kubernetes.cri.container-name") : pod;
            bool alive = pid > 0 && Directory.Exists($"/proc/{pid}");
            return new NetNsContainer
            {
                Runtime = criType is null ? "containerd" : "kubernetes",
                Id = id,
                Name = name ?? id,
                Image = ann.ValueKind == JsonValueKind.Object ? DockerContainers.Str(ann, "io.kubernetes.cri.image-name") : null,
                State = alive ? "running" : "stopped",
                ProcessId = alive ? pid : null,
                Namespace = alive && hasNetNs ? ContainerNamespaces.Pick(netPath, pid) : null,
                NetworkMode = !hasNetNs ? "host" : netPath is null ? "private" : "joined",
                PodName = pod,
                PodNamespace = criType is null ? containerdNamespace : DockerContainers.Str(ann, "io.kubernetes.cri.sandbox-namespace"),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null; // a task that ended while we read it
        }
    }
}
