using System.Text.Json;

namespace NetNs.Core;

/// <summary>What a Kubernetes runtime's OCI annotations say about a container: its role and its pod.</summary>
internal sealed record CriInfo(string Role, string? PodName, string? PodNamespace, string? PodUid, string? ContainerName,
    string? SandboxId, string? Image);

/// <summary>
/// Reads the Kubernetes annotations containerd's CRI plugin (io.kubernetes.cri.*) and CRI-O (io.kubernetes.cri-o.*,
/// io.kubernetes.pod.*, io.kubernetes.container.name) put in each container's config.json. Equivalent to: the
/// POD / NAMESPACE / CONTAINER columns of `crictl ps` and `crictl pods`.
/// </summary>
internal static class CriAnnotations
{
    /// <summary>The pod information, or null when the annotations are not a Kubernetes runtime's.</summary>
    public static CriInfo? Read(JsonElement annotations)
    {
        if (annotations.ValueKind != JsonValueKind.Object)
            return null;
        if (Str(annotations, "io.kubernetes.cri.container-type") is { } type)
        {
            return new CriInfo(Role(type), Str(annotations, "io.kubernetes.cri.sandbox-name"),
                Str(annotations, "io.kubernetes.cri.sandbox-namespace"), Str(annotations, "io.kubernetes.cri.sandbox-uid"),
                Str(annotations, "io.kubernetes.cri.container-name"), Str(annotations, "io.kubernetes.cri.sandbox-id"),
                Str(annotations, "io.kubernetes.cri.image-name"));
        }
        if (Str(annotations, "io.kubernetes.cri-o.ContainerType") is { } crioType)
        {
            return new CriInfo(Role(crioType), Str(annotations, "io.kubernetes.pod.name"),
                Str(annotations, "io.kubernetes.pod.namespace"), Str(annotations, "io.kubernetes.pod.uid"),
                Str(annotations, "io.kubernetes.container.name"), Str(annotations, "io.kubernetes.cri-o.SandboxID"),
                Str(annotations, "io.kubernetes.cri-o.ImageName"));
        }
        return null;
    }

    // "sandbox" (the pause container that holds the pod's namespaces) or "container" (an app container).
    private static string Role(string type) => type == "sandbox" ? "sandbox" : "container";

    internal static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
