using System.Runtime.ExceptionServices;
using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>Options for <see cref="NamespaceThread.Run{T}(NamespaceHandle, Func{T}, NamespaceThreadOptions?)"/>.</summary>
public sealed class NamespaceThreadOptions
{
    /// <summary>
    /// Give the thread a mount namespace of its own with sysfs remounted and, for a named namespace, each
    /// /etc/netns/NAME/FILE bound over /etc/FILE, as `ip netns exec` does: /sys/class/net then shows the
    /// namespace's interfaces and /etc/resolv.conf can be the namespace's own.
    /// </summary>
    public bool RemountSysfs { get; init; }

    /// <summary>Thread name shown in debuggers (default "netns:NAME").</summary>
    public string? ThreadName { get; init; }
}

/// <summary>
/// Runs code inside a network namespace on a dedicated thread. The thread is created for the call, enters
/// the namespace with setns(2) and ends when the delegate returns: it is never a pool thread and never
/// goes back to a pool, so no other code can run in the namespace by accident, and the caller's thread
/// never leaves its own namespace, whatever the delegate throws. Sockets opened by the delegate stay in the
/// namespace and may be used from any thread afterwards.
/// </summary>
public static class NamespaceThread
{
    /// <summary>
    /// Runs <paramref name="func"/> inside <paramref name="ns"/> and returns its result; its exception is
    /// rethrown on the caller's thread with the original stack.
    /// Equivalent to: `ip netns exec NAME …` for in-process code (the delegate must be synchronous:
    /// continuations of async code run on pool threads in the caller's namespace).
    /// </summary>
    public static T Run<T>(NamespaceHandle ns, Func<T> func, NamespaceThreadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(func);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        bool added = false;
        ns.Fd.DangerousAddRef(ref added);
        try
        {
            var thread = new Thread(() =>
            {
                try
                {
                    // From the process's own namespaces, whichever thread (maybe one inside a namespace) called.
                    OriginalNamespaces.EnterOriginal();
                    Enter(ns, options);
                    result = func();
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            })
            {
                IsBackground = true,
                Name = options?.ThreadName ?? "netns:" + ns.DisplayName,
            };
            thread.Start();
            thread.Join();
        }
        finally
        {
            if (added)
                ns.Fd.DangerousRelease();
        }
        failure?.Throw();
        return result;
    }

    /// <summary>Runs <paramref name="action"/> inside <paramref name="ns"/>; see <see cref="Run{T}"/>.</summary>
    public static void Run(NamespaceHandle ns, Action action, NamespaceThreadOptions? options = null) =>
        Run<object?>(ns, () => { action(); return null; }, options);

    internal static void Enter(NamespaceHandle ns, NamespaceThreadOptions? options)
    {
        if (Libc.setns(ns.Fd.Value, Libc.CLONE_NEWNET) != 0)
            throw NetNsException.FromErrno("enter", Errno.Last, ObjectKind.Namespace, ns.DisplayName);
        if (options?.RemountSysfs == true)
            RemountSysfs(ns);
    }

    // lib/namespace.c netns_switch(): unshare(CLONE_NEWNS); mount("", "/", MS_SLAVE|MS_REC);
    // umount2("/sys", MNT_DETACH); mount("ns", "/sys", "sysfs", flags). unshare(CLONE_NEWNS) affects only
    // this thread (it implies CLONE_FS). iproute2 mounts sysfs read-only when the old /sys could not be
    // unmounted and was read-only; NetNs keeps a read-only /sys read-only in every case (a container's, say),
    // so the namespace never gets a writable sysfs its caller did not have.
    private static unsafe void RemountSysfs(NamespaceHandle ns)
    {
        bool readOnly = SysIsReadOnly();
        if (Libc.unshare(Libc.CLONE_NEWNS) != 0)
            throw NetNsException.FromErrno("unshare the mount namespace for", Errno.Last, ObjectKind.Namespace, ns.DisplayName);
        if (Libc.mount("", "/", null, Libc.MS_SLAVE | Libc.MS_REC, null) != 0)
            throw NetNsException.FromErrno("make / a slave mount for", Errno.Last, ObjectKind.Namespace, ns.DisplayName);
        Libc.umount2("/sys", Libc.MNT_DETACH); // failing is fine: the new sysfs is mounted over the old one
        if (Libc.mount(ns.Name ?? "netns", "/sys", "sysfs", readOnly ? Libc.MS_RDONLY : 0, null) != 0)
            throw NetNsException.FromErrno("mount sysfs for", Errno.Last, ObjectKind.Namespace, ns.DisplayName);
        if (ns.Name is not null)
            BindEtc(ns.Name);
    }

    /// <summary>Whether /sys, as this thread sees it, is mounted read-only (its mount options in mountinfo).</summary>
    internal static bool SysIsReadOnly() =>
        MountInfo.Read().LastOrDefault(m => m.MountPoint == "/sys").Options?.Split(',').Contains("ro") == true; // the top one counts

    /// <summary>
    /// What /etc/netns/NAME holds now — each entry's name and inode — so a warm thread can tell whether the binds it
    /// made are still what `ip netns exec` would make (a file added or replaced since then is not).
    /// </summary>
    internal static string EtcFingerprint(string? name)
    {
        if (name is null)
            return "";
        string dir = Path.Combine("/etc/netns", name);
        if (!Directory.Exists(dir))
            return "";
        var parts = new List<string>();
        foreach (string source in Directory.EnumerateFileSystemEntries(dir))
            parts.Add(Path.GetFileName(source) + ":" + (FileIdentity.TryOfPath(source, out var id, out _) ? id.ToString() : "?"));
        parts.Sort(StringComparer.Ordinal);
        return string.Join("/", parts);
    }

    // lib/namespace.c bind_etc(): each /etc/netns/NAME/FILE is bind-mounted over /etc/FILE (resolv.conf,
    // hosts …), in this thread's private mount namespace only. A target that does not exist is skipped, as
    // iproute2 does (it only warns).
    private static unsafe void BindEtc(string name)
    {
        string dir = Path.Combine("/etc/netns", name);
        if (!Directory.Exists(dir))
            return;
        foreach (string source in Directory.EnumerateFileSystemEntries(dir))
        {
            string target = Path.Combine("/etc", Path.GetFileName(source));
            if (Path.Exists(target))
                Libc.mount(source, target, "none", Libc.MS_BIND, null);
        }
    }
}
