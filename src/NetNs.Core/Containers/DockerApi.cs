using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;

namespace NetNs.Core;

/// <summary>
/// The Docker Engine API over its unix socket (HTTP/1.1 on /var/run/docker.sock, no docker binary, no shell):
/// GET /containers/json?all=1 for the list, GET /containers/ID/json for each running one's pid and sandbox.
/// Equivalent to: `docker ps -a` plus `docker inspect -f '{{.State.Pid}} {{.NetworkSettings.SandboxKey}}'`.
/// </summary>
public static class DockerApi
{
    /// <summary>The engine's default socket.</summary>
    public const string DefaultSocket = "/var/run/docker.sock";

    /// <summary>
    /// Docker's containers as the engine reports them, or null when no engine answers on the socket (none there,
    /// connection refused, or no permission to connect): the caller then reads the on-disk state. An engine that
    /// answers with an error or malformed JSON throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static IReadOnlyList<NetNsContainer>? TryList(string socketPath = DefaultSocket, int timeoutMilliseconds = 3000)
    {
        if (!File.Exists(socketPath))
            return null;
        using var client = CreateClient(socketPath, timeoutMilliseconds);
        JsonDocument list;
        try
        {
            list = Get(client, "/containers/json?all=1");
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException or UnauthorizedAccessException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return null; // a stale socket, or one the caller may not use
        }
        using (list)
        {
            if (list.RootElement.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException("GET /containers/json did not give a JSON array");
            var result = new List<NetNsContainer>();
            foreach (var entry in list.RootElement.EnumerateArray())
            {
                string? id = CriAnnotations.Str(entry, "Id");
                if (id is null || !IsHexId(id))
                    throw new InvalidDataException("GET /containers/json gave an entry without a valid Id");
                if (CriAnnotations.Str(entry, "State") == "running")
                {
                    try
                    {
                        using var inspect = Get(client, $"/containers/{id}/json");
                        result.Add(FromInspect(inspect.RootElement, id));
                        continue;
                    }
                    catch (InvalidDataException e) when (e.Data.Contains("NotFound"))
                    {
                        // removed between the two calls: list it as the summary says, without a namespace
                    }
                }
                result.Add(FromSummary(entry, id));
            }
            return result;
        }
    }

    private static HttpClient CreateClient(string socketPath, int timeoutMilliseconds)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct).ConfigureAwait(false);
                    return new NetworkStream(s, ownsSocket: true);
                }
                catch
                {
                    s.Dispose();
                    throw;
                }
            },
            UseProxy = false,
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://docker/"), Timeout = TimeSpan.FromMilliseconds(timeoutMilliseconds) };
    }

    private static JsonDocument Get(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = client.Send(request);
        using var body = response.Content.ReadAsStream();
        if (!response.IsSuccessStatusCode)
        {
            var e = new InvalidDataException($"GET {path} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
                e.Data["NotFound"] = true;
            throw e;
        }
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException j)
        {
            throw new InvalidDataException($"GET {path} gave malformed JSON: {j.Message}", j);
        }
    }

    private static NetNsContainer FromSummary(JsonElement e, string id)
    {
        string? name = e.TryGetProperty("Names", out var names) && names.ValueKind == JsonValueKind.Array
            ? names.EnumerateArray().Select(n => n.ValueKind == JsonValueKind.String ? n.GetString() : null).FirstOrDefault(n => n is not null)
            : null;
        string? mode = e.TryGetProperty("HostConfig", out var hc) ? CriAnnotations.Str(hc, "NetworkMode") : null;
        return new NetNsContainer
        {
            Runtime = "docker", Id = id, Name = (name ?? id).TrimStart('/'), Image = CriAnnotations.Str(e, "Image"),
            State = CriAnnotations.Str(e, "State") ?? "", NetworkMode = mode,
        };
    }

    /// <summary>A container from GET /containers/ID/json (the shape config.v2.json on disk has too).</summary>
    internal static NetNsContainer FromInspect(JsonElement c, string id, string? networkMode = null)
    {
        var state = c.TryGetProperty("State", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        bool running = state.ValueKind == JsonValueKind.Object && state.TryGetProperty("Running", out var r) && r.ValueKind == JsonValueKind.True;
        bool paused = state.ValueKind == JsonValueKind.Object && state.TryGetProperty("Paused", out var pa) && pa.ValueKind == JsonValueKind.True;
        int pid = state.ValueKind == JsonValueKind.Object && state.TryGetProperty("Pid", out var p) && p.TryGetInt32(out int v) ? v : 0;
        var net = c.TryGetProperty("NetworkSettings", out var n) && n.ValueKind == JsonValueKind.Object ? n : default;
        string? sandbox = CriAnnotations.Str(net, "SandboxKey");
        string? ip = null;
        if (net.ValueKind == JsonValueKind.Object && net.TryGetProperty("Networks", out var nets) && nets.ValueKind == JsonValueKind.Object)
            ip = nets.EnumerateObject().Select(x => CriAnnotations.Str(x.Value, "IPAddress")).FirstOrDefault(a => !string.IsNullOrEmpty(a));
        string mode = networkMode ?? (c.TryGetProperty("HostConfig", out var hc) ? CriAnnotations.Str(hc, "NetworkMode") : null) ?? "default";
        return new NetNsContainer
        {
            Runtime = "docker",
            Id = id,
            Name = (CriAnnotations.Str(c, "Name") ?? id).TrimStart('/'),
            Image = c.TryGetProperty("Config", out var cfg) ? CriAnnotations.Str(cfg, "Image") : null,
            State = running ? "running" : paused ? "paused" : "exited",
            ProcessId = running && pid > 0 ? pid : null,
            Namespace = running && mode != "host" ? ContainerNamespaces.Pick(sandbox, pid) : null,
            NetworkMode = mode,
            IPAddress = ip,
            Role = "container",
        };
    }

    private static bool IsHexId(string id) => id.Length is >= 12 and <= 64 && id.All(char.IsAsciiHexDigit);
}
