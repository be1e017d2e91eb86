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

    /// <summary>
    /// Running containerd tasks; problems go to <paramref name="warnings"/> (one per runtime).
    /// Equivalent to: `ctr -n NS task ls` (every NS) and `crictl ps`/`crictl pods`.
    /// </summary>
    public static IReadOnlyList<NetNsContainer> List(RuntimeWarnings? warnings = null, string stateDirectory = DefaultStateDirectory)
    {
        warnings ??= new RuntimeWarnings();
        var result = new List<NetNsContainer>();
        try
        {
            if (!Directory.Exists(stateDirectory))
                return [];
            foreach (string nsDir in Directory.EnumerateDirectories(stateDirectory))
            {
                if (Path.GetFileName(nsDir) == "moby")
                    continue;
                foreach (string bundle in Directory.EnumerateDirectories(nsDir))
                {
                    try
                    {
                        result.Add(Read(bundle, Path.GetFileName(nsDir)));
                    }
                    catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                    {
                        // a task that ended while we read it
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
                    {
                        warnings.Add("containerd", bundle, e);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.Add("containerd", stateDirectory, e);
        }
        return [.. result.OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    private static NetNsContainer Read(string bundle, string containerdNamespace)
    {
        string id = Path.GetFileName(bundle);
        int pid = int.TryParse(File.ReadAllText(Path.Combine(bundle, "init.pid")).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : 0;
        using var spec = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bundle, "config.json")));
        var net = OciNetwork.Read(spec.RootElement);
        var cri = CriAnnotations.Read(net.Annotations);
        bool alive = pid > 0 && Directory.Exists($"/proc/{pid}");
        return new NetNsContainer
        {
            Runtime = cri is null ? "containerd" : "kubernetes",
            Id = id,
            Name = (cri?.Role == "container" ? cri.ContainerName : cri?.PodName) ?? id,
            Image = cri?.Image,
            State = alive ? "running" : "stopped",
            ProcessId = alive ? pid : null,
            Namespace = alive && net.HasOwnNamespaceEntry ? ContainerNamespaces.Pick(net.Path, pid) : null,
            NetworkMode = net.Mode,
            PodName = cri?.PodName,
            PodNamespace = cri is null ? containerdNamespace : cri.PodNamespace,
            PodUid = cri?.PodUid,
            Role = cri?.Role ?? "container",
        };
    }
}
