using System.Text.Json;

namespace NetNs.Core;

/// <summary>The parts of an OCI runtime spec (a bundle's config.json) that say where a container's network is.</summary>
internal sealed record OciNetwork(bool HasOwnNamespaceEntry, string? Path, JsonElement Annotations)
{
    /// <summary>"host" (no network namespace entry), "private" (a new one) or "joined" (a path to an existing one).</summary>
    public string Mode => !HasOwnNamespaceEntry ? "host" : Path is null ? "private" : "joined";

    /// <summary>Reads linux.namespaces[type=network] and the annotations of a parsed config.json.</summary>
    public static OciNetwork Read(JsonElement root)
    {
        bool has = false;
        string? path = null;
        if (root.TryGetProperty("linux", out var linux) && linux.ValueKind == JsonValueKind.Object
            && linux.TryGetProperty("namespaces", out var nss) && nss.ValueKind == JsonValueKind.Array)
        {
            foreach (var ns in nss.EnumerateArray())
            {
                if (CriAnnotations.Str(ns, "type") == "network")
                {
                    has = true;
                    path = CriAnnotations.Str(ns, "path");
                }
            }
        }
        var ann = root.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object ? a.Clone() : default;
        return new OciNetwork(has, path, ann);
    }
}
