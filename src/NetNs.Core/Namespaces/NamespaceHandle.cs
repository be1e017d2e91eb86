using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>
/// An open network namespace: a file descriptor on its nsfs file plus its identity (st_dev, st_ino).
/// Two handles are equal when they refer to the same namespace, whatever path opened them.
/// </summary>
public sealed class NamespaceHandle : IDisposable, IEquatable<NamespaceHandle>
{
    private NamespaceHandle(SafeFd fd, FileIdentity identity, string path, string? name)
    {
        Fd = fd;
        Identity = identity;
        Path = path;
        Name = name;
    }

    internal SafeFd Fd { get; }

    /// <summary>(st_dev, st_ino) of the namespace: equal identities mean the same namespace.</summary>
    public FileIdentity Identity { get; }

    /// <summary>The path it was opened from.</summary>
    public string Path { get; }

    /// <summary>The name under /run/netns, when it has one.</summary>
    public string? Name { get; }

    /// <summary>What to call it in messages and output: the name, else the path.</summary>
    public string DisplayName => Name ?? Path;

    /// <summary>Whether this is the calling thread's own network namespace.</summary>
    public bool IsCurrent => FileIdentity.TryOfPath(CurrentPath, out var id, out _) && id == Identity;

    /// <summary>
    /// What output objects made in <paramref name="ns"/> carry as their Namespace: null for the caller's own namespace
    /// (null, or the calling thread's), however it was named — except on a <see cref="NamespaceHost"/>'s thread (a
    /// script block of Invoke-InNetNamespace), whose own namespace is named, so objects made there say where they live.
    /// </summary>
    public static string? LabelOf(NamespaceHandle? ns) =>
        ns is null || ns.IsCurrent ? NamespaceHost.Current?.Reference.ToString() ?? ProcessLabel : ns.DisplayName;

    /// <summary>
    /// What objects of the process's own namespace carry, when the process was started inside a named namespace to
    /// work there (Invoke-InNetNamespace -Isolated sets it in its child pwsh); null, the default, leaves them unnamed.
    /// </summary>
    public static string? ProcessLabel { get; set; }

    /// <summary>/proc/thread-self/ns/net: the calling thread's namespace (not /proc/self, the main thread's).</summary>
    public const string CurrentPath = "/proc/thread-self/ns/net";

    /// <summary>Opens a named namespace (/run/netns/NAME, as `ip netns` names them).</summary>
    public static NamespaceHandle OpenName(string name)
    {
        Names.CheckNamespaceName(name, "open namespace");
        return OpenPath(NamedNamespaces.PathOf(name), name);
    }

    /// <summary>Opens the namespace of a process (/proc/PID/ns/net).</summary>
    public static NamespaceHandle OpenProcess(int pid)
    {
        if (pid <= 0)
            throw NetNsException.Invalid("open namespace", pid.ToString(), $"process id {pid} is not valid");
        var h = OpenPath($"/proc/{pid}/ns/net", null, $"process {pid}");
        string? name = NamedNamespaces.FindName(h.Identity);
        return name is null ? h : h.WithName(name);
    }

    /// <summary>Opens the calling thread's own namespace.</summary>
    public static NamespaceHandle OpenCurrent() => OpenPath(CurrentPath);

    /// <summary>
    /// Opens a namespace file (an nsfs bind mount such as /run/netns/NAME or /run/docker/netns/ID, or
    /// /proc/PID/ns/net). Fails with NamespaceNotFound when it is missing and InvalidArgument when the file
    /// is not a network namespace (e.g. the empty file Docker leaves behind for a while).
    /// </summary>
    public static NamespaceHandle OpenPath(string path, string? name = null) => OpenPath(path, name, null);

    private static NamespaceHandle OpenPath(string path, string? name, string? label)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains('\0'))
            throw NetNsException.Invalid("open namespace", path, "a namespace path cannot contain NUL");
        string target = label ?? name ?? path;
        // Look before opening: a FIFO or device given as a namespace would block open(2) or have side effects.
        if (FileIdentity.TryTypeOfPath(path, out int type, out _) && type != 0x8000)
            throw NetNsException.Invalid("open namespace", target, $"'{path}' is not a network namespace (not an nsfs file)");
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NONBLOCK | Libc.O_NOCTTY, 0);
        if (fd < 0)
            throw NetNsException.FromErrno("open", Errno.Last, ObjectKind.Namespace, target);
        var handle = new SafeFd(fd);
        try
        {
            if (Libc.ioctl(fd, Libc.NS_GET_NSTYPE) != Libc.CLONE_NEWNET)
                throw NetNsException.Invalid("open namespace", target, $"'{path}' is not a network namespace");
            if (!FileIdentity.TryOfFd(handle, out var id, out int statErr))
                throw NetNsException.FromErrno("stat", statErr, ObjectKind.Namespace, target);
            return new NamespaceHandle(handle, id, path, name);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The same namespace under a name (the new handle owns a fresh descriptor).</summary>
    internal NamespaceHandle WithName(string name)
    {
        var copy = OpenPath(Path, name);
        Dispose();
        return copy;
    }

    /// <summary>
    /// A second handle on this namespace, with a descriptor of its own (reopened through /proc/thread-self/fd, so it
    /// is this namespace even if its name now leads elsewhere), the same path and name: for a holder that outlives this one.
    /// </summary>
    public NamespaceHandle Duplicate()
    {
        bool added = false;
        Fd.DangerousAddRef(ref added);
        try
        {
            var copy = OpenPath("/proc/thread-self/fd/" + Fd.DangerousGetHandle().ToString(System.Globalization.CultureInfo.InvariantCulture), Name, DisplayName);
            return new NamespaceHandle(copy.Fd, copy.Identity, Path, Name);
        }
        finally
        {
            if (added)
                Fd.DangerousRelease();
        }
    }

    /// <inheritdoc/>
    public bool Equals(NamespaceHandle? other) => other is not null && other.Identity == Identity;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NamespaceHandle);

    /// <inheritdoc/>
    public override int GetHashCode() => Identity.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => DisplayName;

    /// <inheritdoc/>
    public void Dispose() => Fd.Dispose();
}
