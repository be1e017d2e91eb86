using System.Globalization;
using System.Text.Json;

namespace NetNs.Core;

/// <summary>
/// podman's and CRI-O's containers, read from the containers/storage state both keep: overlay-containers/
/// containers.json under the storage root (/var/lib/containers/storage: ids, names, image), each container's OCI
/// spec in userdata/config.json (network namespace, annotations), and its pid in userdata/pidfile under the run root
/// (/run/containers/storage). CRI-O's containers carry io.kubernetes.cri-o.* annotations, podman's
/// io.container.manager=libpod. Equivalent to: `podman ps -a --format json`, `crictl ps -a`.
/// </summary>
public static class PodmanState
{
    /// <summary>containers/storage's default graph root (root's).</summary>
    public const string DefaultStorageRoot = "/var/lib/containers/storage";

    /// <summary>containers/storage's default run root (root's).</summary>
    public const string DefaultRunRoot = "/run/containers/storage";

    /// <summary>Every container in the storage, running or not; problems go to <paramref name="warnings"/>.</summary>
    public static IReadOnlyList<NetNsContainer> List(RuntimeWarnings? warnings = null, string storageRoot = DefaultStorageRoot, string runRoot = DefaultRunRoot)
    {
        warnings ??= new RuntimeWarnings();
        string index = Path.Combine(storageRoot, "overlay-containers", "containers.json");
        var result = new List<NetNsContainer>();
        JsonDocument doc;
        try
        {
            if (!File.Exists(index))
                return [];
            doc = JsonDocument.Parse(File.ReadAllBytes(index));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            warnings.Add("podman", index, e);
            return [];
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                warnings.Add("podman", $"{index}: not a JSON array");
                return [];
            }
            foreach (var entry in doc.RootElement.EnumerateArray())
            {
                string? id = CriAnnotations.Str(entry, "id");
                if (id is null || id.Length < 12 || !id.All(char.IsAsciiHexDigit))
                {
                    warnings.Add("podman", $"{index}: an entry without a valid id");
                    continue;
                }
                try
                {
                    result.Add(Read(entry, id, storageRoot, runRoot));
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    // removed while we read it, or never created (a buildah working container has no spec)
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
                {
                    warnings.Add("podman", id, e);
                }
            }
        }
        return [.. result.OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    private static NetNsContainer Read(JsonElement entry, string id, string storageRoot, string runRoot)
    {
        using var spec = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(storageRoot, "overlay-containers", id, "userdata", "config.json")));
        var net = OciNetwork.Read(spec.RootElement);
        var cri = CriAnnotations.Read(net.Annotations);
        bool crio = cri is not null && CriAnnotations.Str(net.Annotations, "io.container.manager") != "libpod";
        string pidFile = Path.Combine(runRoot, "overlay-containers", id, "userdata", "pidfile");
        int pid = File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : 0;
        bool alive = pid > 0 && Directory.Exists($"/proc/{pid}");
        string? name = entry.TryGetProperty("names", out var names) && names.ValueKind == JsonValueKind.Array
            ? names.EnumerateArray().Select(n => n.ValueKind == JsonValueKind.String ? n.GetString() : null).FirstOrDefault(n => n is not null)
            : null;
        string? image = null;
        if (CriAnnotations.Str(entry, "metadata") is { } meta)
        {
            using var m = JsonDocument.Parse(meta);
            image = CriAnnotations.Str(m.RootElement, "image-name");
        }
        return new NetNsContainer
        {
            Runtime = crio ? "cri-o" : "podman",
            Id = id,
            Name = (crio ? (cri!.Role == "container" ? cri.ContainerName : cri.PodName) : null) ?? name ?? id,
            Image = cri?.Image ?? image,
            State = alive ? "running" : "exited",
            ProcessId = alive ? pid : null,
            Namespace = alive && net.HasOwnNamespaceEntry ? ContainerNamespaces.Pick(net.Path, pid) : null,
            NetworkMode = net.Mode,
            PodName = crio ? cri!.PodName : null,
            PodNamespace = crio ? cri!.PodNamespace : null,
            PodUid = crio ? cri!.PodUid : null,
            Role = crio ? cri!.Role : "container",
        };
    }
}
