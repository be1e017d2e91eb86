using System.Net.Http;
using System.Text.Json;

namespace NetNs.Core;

/// <summary>
/// Docker containers read from the engine's state on disk (/var/lib/docker/containers/ID/config.v2.json
/// and hostconfig.json): what discovery uses when the Engine API does not answer (<see cref="DockerApi"/>).
/// </summary>
public static class DockerContainers
{
    /// <summary>Docker's default data root.</summary>
    public const string DefaultRoot = "/var/lib/docker";

    /// <summary>
    /// Every container Docker knows, running or not: the Engine API when it answers, else the state on disk.
    /// Problems go to <paramref name="warnings"/> (one per runtime), never an exception.
    /// Equivalent to: `docker ps -a` plus `docker inspect -f '{{.State.Pid}} {{.NetworkSettings.SandboxKey}}'`.
    /// </summary>
    public static IReadOnlyList<NetNsContainer> List(RuntimeWarnings? warnings = null, string socketPath = DockerApi.DefaultSocket, string root = DefaultRoot)
    {
        warnings ??= new RuntimeWarnings();
        try
        {
            if (DockerApi.TryList(socketPath) is { } fromApi)
                return Sorted(fromApi);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or HttpRequestException or TaskCanceledException)
        {
            warnings.Add("docker", "the Engine API on " + socketPath, e);
            return [];
        }
        return Sorted(ListOnDisk(warnings, root));
    }

    /// <summary>The containers as the state on disk has them (no engine needed).</summary>
    public static IReadOnlyList<NetNsContainer> ListOnDisk(RuntimeWarnings? warnings = null, string root = DefaultRoot)
    {
        warnings ??= new RuntimeWarnings();
        string dir = Path.Combine(root, "containers");
        var raw = new List<NetNsContainer>();
        try
        {
            if (!Directory.Exists(dir))
                return [];
            foreach (string containerDir in Directory.EnumerateDirectories(dir))
            {
                try
                {
                    raw.Add(Read(containerDir));
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    // removed while we read it
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
                {
                    warnings.Add("docker", containerDir, e);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.Add("docker", dir, e);
        }
        // --network container:ID shares that container's namespace, which has no sandbox key of its own.
        var byId = raw.ToDictionary(c => c.Id);
        return Sorted(raw.Select(c => ResolveShared(c, byId)));
    }

    private static NetNsContainer Read(string containerDir)
    {
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(containerDir, "config.v2.json")));
        string? mode = null;
        string hostConfig = Path.Combine(containerDir, "hostconfig.json");
        if (File.Exists(hostConfig))
        {
            using var host = JsonDocument.Parse(File.ReadAllBytes(hostConfig));
            mode = CriAnnotations.Str(host.RootElement, "NetworkMode");
        }
        var c = config.RootElement;
        return DockerApi.FromInspect(c, CriAnnotations.Str(c, "ID") ?? Path.GetFileName(containerDir), mode);
    }

    private static NetNsContainer ResolveShared(NetNsContainer c, Dictionary<string, NetNsContainer> byId)
    {
        if (c.ProcessId is null || c.NetworkMode?.StartsWith("container:", StringComparison.Ordinal) != true)
            return c;
        string other = c.NetworkMode["container:".Length..];
        var owner = byId.Values.FirstOrDefault(x => x.Id == other || x.Name == other);
        return c.With(ns: owner?.Namespace ?? c.Namespace, ip: owner?.IPAddress ?? c.IPAddress);
    }

    private static List<NetNsContainer> Sorted(IEnumerable<NetNsContainer> list) => [.. list.OrderBy(c => c.Name, StringComparer.Ordinal)];
}
