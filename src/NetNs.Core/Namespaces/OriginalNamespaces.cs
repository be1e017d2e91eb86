using System.Globalization;
using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>
/// The process's original network and mount namespaces: those of its main thread, which NetNs never moves.
/// Every thread NetNs creates starts by entering them (<see cref="EnterOriginal"/>), so a thread made while the
/// caller was inside a namespace (a NetNs call from a script block run by Invoke-InNetNamespace, say) does not
/// inherit that namespace, or its private mount namespace with the remounted /sys, for the rest of its life.
/// </summary>
internal static class OriginalNamespaces
{
    private static readonly object Gate = new();
    private static SafeFd? s_net, s_mnt;
    private static FileIdentity s_netId, s_mntId;

    // /proc/PID/task/PID is the main thread (the thread group leader): its view, not this thread's, is the
    // process's original one. (Everything else in NetNs reads /proc/thread-self.)
    private static string MainThread(string ns) =>
        string.Create(CultureInfo.InvariantCulture, $"/proc/{Environment.ProcessId}/task/{Environment.ProcessId}/ns/{ns}");

    /// <summary>The identity of the process's original network namespace.</summary>
    public static FileIdentity OriginalNet
    {
        get
        {
            Open();
            return s_netId;
        }
    }

    /// <summary>Whether the calling thread is in the process's original network and mount namespaces.</summary>
    public static bool IsHome() =>
        FileIdentity.TryOfPath("/proc/thread-self/ns/net", out var net, out _) && net == OriginalNet
        && FileIdentity.TryOfPath("/proc/thread-self/ns/mnt", out var mnt, out _) && mnt == s_mntId;

    /// <summary>
    /// Moves the calling thread — one NetNs created, never a caller's — into the process's original network and
    /// mount namespaces when it is not already there. The mount namespace can only be entered by a thread with a
    /// filesystem context of its own, so such a thread first unshares CLONE_FS (it then keeps its own cwd).
    /// Throws when it cannot: the thread must then not be used.
    /// </summary>
    public static void EnterOriginal()
    {
        Open();
        if (!FileIdentity.TryOfPath("/proc/thread-self/ns/net", out var net, out int errno))
            throw NetNsException.FromErrno("identify", errno, ObjectKind.Namespace, "/proc/thread-self/ns/net");
        if (net != s_netId && Libc.setns(s_net!.Value, Libc.CLONE_NEWNET) != 0)
            throw NetNsException.FromErrno("return a NetNs thread to the original", Errno.Last, ObjectKind.Namespace, MainThread("net"));
        if (!FileIdentity.TryOfPath("/proc/thread-self/ns/mnt", out var mnt, out errno))
            throw NetNsException.FromErrno("identify", errno, ObjectKind.Namespace, "/proc/thread-self/ns/mnt");
        if (mnt != s_mntId && (Libc.unshare(Libc.CLONE_FS) != 0 || Libc.setns(s_mnt!.Value, Libc.CLONE_NEWNS) != 0))
            throw NetNsException.FromErrno("return a NetNs thread to the original", Errno.Last, ObjectKind.Namespace, MainThread("mnt"));
    }

    private static void Open()
    {
        if (s_net is not null)
            return;
        lock (Gate)
        {
            if (s_net is not null)
                return;
            var mnt = OpenNs(MainThread("mnt"));
            s_mntId = IdentityOf(mnt, MainThread("mnt"));
            var net = OpenNs(MainThread("net"));
            s_netId = IdentityOf(net, MainThread("net"));
            s_mnt = mnt;
            s_net = net; // last: it is what the fast path tests
        }
    }

    private static FileIdentity IdentityOf(SafeFd fd, string path) =>
        FileIdentity.TryOfFd(fd, out var id, out int errno) ? id : throw NetNsException.FromErrno("stat", errno, ObjectKind.Namespace, path);

    private static SafeFd OpenNs(string path)
    {
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
            throw NetNsException.FromErrno("open", Errno.Last, ObjectKind.Namespace, path);
        return new SafeFd(fd);
    }
}
