using System.Text.Json;

namespace NetNs.Core;

/// <summary>
/// Docker containers read from the engine's state on disk (/var/lib/docker/containers/ID/config.v2.json
/// and hostconfig.json), without the Engine API: works whether or not the caller can reach the socket.
/// </summary>
public static class DockerContainers
{
    /// <summary>Docker's default data root.</summary>
    public const string DefaultRoot = "/var/lib/docker";

    /// <summary>
    /// Every container Docker knows, running or not. Equivalent to: `docker ps -a` plus
    /// `docker inspect -f '{{.State.Pid}} {{.NetworkSettings.SandboxKey}}'`.
    /// </summary>
    public static IReadOnlyList<NetNsContainer> List(string root = DefaultRoot)
    {
        string dir = Path.Combine(root, "containers");
        if (!Directory.Exists(dir))
            return [];
        var raw = new List<(NetNsContainer C, string Mode)>();
        foreach (string containerDir in Directory.EnumerateDirectories(dir))
        {
            if (Read(containerDir) is { } found)
                raw.Add(found);
        }
        // --network container:ID shares that container's namespace, which has no sandbox key of its own.
        var byId = raw.ToDictionary(r => r.C.Id, r => r.C);
        return raw.Select(r => ResolveShared(r.C, r.Mode, byId)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    private static (NetNsContainer, string)? Read(string containerDir)
    {
        try
        {
            using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(containerDir, "config.v2.json")));
            var c = config.RootElement;
            string mode = "default";
            string hostConfig = Path.Combine(containerDir, "hostconfig.json");
            if (File.Exists(hostConfig))
            {
                using var host = JsonDocument.Parse(File.ReadAllBytes(hostConfig));
                mode = Str(host.RootElement, "NetworkMode") ?? mode;
            }
            var state = c.TryGetProperty("State", out var s) ? s : default;
            bool running = state.ValueKind == JsonValueKind.Object && state.TryGetProperty("Running", out var r) && r.ValueKind == JsonValueKind.True;
            int pid = state.ValueKind == JsonValueKind.Object && state.TryGetProperty("Pid", out var p) && p.TryGetInt32(out int v) ? v : 0;
            var net = c.TryGetProperty("NetworkSettings", out var n) && n.ValueKind == JsonValueKind.Object ? n : default;
            string? sandbox = net.ValueKind == JsonValueKind.Object ? Str(net, "SandboxKey") : null;
            string? ip = null;
            if (net.ValueKind == JsonValueKind.Object && net.TryGetProperty("Networks", out var nets) && nets.ValueKind == JsonValueKind.Object)
                ip = nets.EnumerateObject().Select(x => Str(x.Value, "IPAddress")).FirstOrDefault(a => !string.IsNullOrEmpty(a));
            string id = Str(c, "ID") ?? Path.GetFileName(containerDir);
            var container = new NetNsContainer
            {
                Runtime = "docker",
                Id = id,
                Name = (Str(c, "Name") ?? id).TrimStart('/'),
                Image = c.TryGetProperty("Config", out var cfg) && cfg.ValueKind == JsonValueKind.Object ? Str(cfg, "Image") : null,
                State = running ? "running" : (state.ValueKind == JsonValueKind.Object && state.TryGetProperty("Paused", out var pa) && pa.ValueKind == JsonValueKind.True ? "paused" : "exited"),
                ProcessId = running && pid > 0 ? pid : null,
                Namespace = running && mode != "host" ? ContainerNamespaces.Pick(sandbox, pid) : null,
                NetworkMode = mode,
                IPAddress = ip,
            };
            return (container, mode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null; // removed while we read it, or not a container directory
        }
    }

    private static NetNsContainer ResolveShared(NetNsContainer c, string mode, Dictionary<string, NetNsContainer> byId)
    {
        if (c.ProcessId is null || !mode.StartsWith("container:", StringComparison.Ordinal))
            return c;
        string other = mode["container:".Length..];
        var owner = byId.Values.FirstOrDefault(x => x.Id == other || x.Name == other);
        return new NetNsContainer
        {
            Runtime = c.Runtime, Id = c.Id, Name = c.Name, Image = c.Image, State = c.State, ProcessId = c.ProcessId,
            Namespace = owner?.Namespace ?? c.Namespace, NetworkMode = c.NetworkMode, IPAddress = owner?.IPAddress ?? c.IPAddress,
        };
    }

    internal static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
