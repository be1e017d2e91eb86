using NetNs.Core.Netlink;

namespace NetNs.Core;

/// <summary>
/// A route-netlink connection bound to one network namespace (like vishvananda/netlink's Handle from
/// NewHandleAt). The socket is opened on NetNs's dedicated worker thread inside the namespace and then used from the
/// caller's thread: no operation ever switches the caller's namespace. Links, addresses, routes and
/// namespace ids are in the partial files beside this one.
/// </summary>
public sealed partial class NetlinkHandle : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly NamespaceHandle? _ns;
    private readonly bool _ownsNamespace;

    private NetlinkHandle(NetlinkSocket socket, NamespaceHandle? ns, bool ownsNamespace, string? namespaceName)
    {
        _socket = socket;
        _ns = ns;
        _ownsNamespace = ownsNamespace;
        NamespaceName = namespaceName;
    }

    /// <summary>The namespace as the user named it (what output objects carry); null for the caller's own.</summary>
    public string? NamespaceName { get; }

    /// <summary>The namespace handle, or null when bound to the caller's own namespace.</summary>
    public NamespaceHandle? Namespace => _ns;

    /// <summary>
    /// A handle on the calling thread's own namespace. On a <see cref="NamespaceHost"/>'s thread (inside a script block
    /// of Invoke-InNetNamespace) its objects carry the host's namespace, so they say where they live.
    /// </summary>
    public static NetlinkHandle Open() => new(NetlinkSocket.Open(), null, false, NamespaceHandle.LabelOf(null));

    /// <summary>
    /// A handle on <paramref name="ns"/> (null: the caller's own namespace). With
    /// <paramref name="ownsNamespace"/> the namespace handle is disposed with this one.
    /// </summary>
    public static NetlinkHandle Open(NamespaceHandle? ns, bool ownsNamespace = false)
    {
        if (ns is null)
            return Open();
        try
        {
            var socket = NamespaceWorker.Run(ns, NetlinkSocket.Open);
            // The caller's own namespace is null in output objects, however it was named (on a namespace host, the
            // caller's own namespace is the host's, which objects name).
            return new NetlinkHandle(socket, ns, ownsNamespace, NamespaceHandle.LabelOf(ns));
        }
        catch
        {
            if (ownsNamespace)
                ns.Dispose();
            throw;
        }
    }

    /// <summary>A handle made of a socket opened inside <paramref name="ns"/>, which it then owns with the socket.</summary>
    internal static NetlinkHandle Adopt(NetlinkSocket socket, NamespaceHandle ns) => new(socket, ns, ownsNamespace: true, ns.DisplayName);

    /// <summary>A handle on the namespace a user named; NamespaceNotFound when it does not exist.</summary>
    public static NetlinkHandle Open(NamespaceRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Kind == NamespaceRefKind.Current ? Open() : Open(reference.Open(), ownsNamespace: true);
    }

    internal NetlinkSocket Socket => _socket;

    internal ErrorContext Context(string operation, ObjectKind kind, string? target) => new(operation, kind, target, NamespaceName);

    /// <summary>The cache entry that owns this handle, if any: then Dispose leaves it open (the cache closes it).</summary>
    internal NetlinkHandleCache.Entry? CachedBy { get; set; }

    /// <summary>Closes the handle, unless <see cref="NetlinkHandleCache"/> owns it (a lease's user must not close it for the others).</summary>
    public void Dispose()
    {
        if (CachedBy is null)
            Close();
    }

    internal void Close()
    {
        _socket.Dispose();
        if (_ownsNamespace)
            _ns?.Dispose();
    }
}
