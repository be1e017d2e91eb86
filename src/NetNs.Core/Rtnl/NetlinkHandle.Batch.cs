using NetNs.Core.Netlink;

namespace NetNs.Core;

// Handles on many namespaces at once, for bulk reads (labs).
public sealed partial class NetlinkHandle
{
    /// <summary>
    /// A handle on each namespace (not owning it), the sockets all opened in one trip to NetNs's worker thread;
    /// null where the namespace could not be entered, with the error in <paramref name="errors"/>.
    /// </summary>
    internal static NetlinkHandle?[] OpenEach(IReadOnlyList<NamespaceHandle> namespaces, out Exception?[] errors)
    {
        var sockets = NamespaceWorker.RunEach(namespaces, _ => NetlinkSocket.Open(), out errors);
        var handles = new NetlinkHandle?[namespaces.Count];
        for (int i = 0; i < namespaces.Count; i++)
        {
            if (sockets[i] is { } socket)
                handles[i] = new NetlinkHandle(socket, namespaces[i], false, NamespaceHandle.LabelOf(namespaces[i]));
        }
        return handles;
    }

    /// <summary>
    /// The loopback's label (IFLA_IFALIAS, null when it has none) in each namespace, in one trip to NetNs's worker
    /// thread: a socket opened inside each, asked and closed there, with no hand-over to another thread; null where
    /// the namespace could not be read, with the error in <paramref name="errors"/>.
    /// Equivalent to: `ip -n NS -d link show lo` for each.
    /// </summary>
    internal static string?[] ReadLoopbackAliases(IReadOnlyList<NamespaceHandle> namespaces, out Exception?[] errors) =>
        NamespaceWorker.RunEach(namespaces, i =>
        {
            using var h = new NetlinkHandle(NetlinkSocket.Open(), namespaces[i], false, namespaces[i].DisplayName);
            return h.GetLinkMessage("lo").Alias;
        }, out errors);
}
