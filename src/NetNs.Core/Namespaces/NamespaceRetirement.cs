using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>
/// What NetNs holds open in a namespace about to be deleted, let go of at once: the warm threads
/// (<see cref="NamespaceHost"/>) and whatever layers above registered (the netlink handle cache), so that NetNs itself
/// never keeps a deleted namespace, or its identity, alive.
/// </summary>
public static class NamespaceRetirement
{
    /// <summary>Raised with the identity of a namespace NetNs is deleting, before its mount goes.</summary>
    public static event Action<FileIdentity>? Retiring;

    /// <summary>Ends NetNs's warm threads in the namespace and tells every subscriber to drop what it holds there.</summary>
    public static void Retire(FileIdentity identity)
    {
        NamespaceHost.Retire(identity);
        Retiring?.Invoke(identity);
    }
}
