using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>
/// Cheap checks on namespace files without opening them: every nsfs file has the nsfs device, so a file under
/// /run/netns or /run/docker/netns whose statx gives another device (a plain file left behind) is no namespace.
/// </summary>
internal static class NamespaceFiles
{
    private static ulong s_nsfsDevice;

    /// <summary>The device of nsfs files (that of /proc/thread-self/ns/net).</summary>
    public static ulong NsfsDevice
    {
        get
        {
            if (s_nsfsDevice == 0 && FileIdentity.TryOfPath("/proc/thread-self/ns/net", out var id, out _))
                s_nsfsDevice = id.Device;
            return s_nsfsDevice;
        }
    }

    /// <summary>The identity of the namespace on <paramref name="path"/>, or false when none is there.</summary>
    public static bool TryIdentity(string path, out FileIdentity id) =>
        FileIdentity.TryOfPath(path, out id, out _) && id.Device == NsfsDevice && NsfsDevice != 0;

    /// <summary>Whether <paramref name="path"/> holds a namespace (some namespace type; net for the paths NetNs reads).</summary>
    public static bool IsNamespace(string path) => TryIdentity(path, out _);
}
