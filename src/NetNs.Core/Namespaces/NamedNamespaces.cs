using NetNs.Core.Interop;
using NetNs.Core.Netlink;

namespace NetNs.Core;

/// <summary>
/// Named network namespaces under /run/netns, compatible with `ip netns` both ways (iproute2
/// ip/ipnetns.c): the same directory, the same shared mount, a bind mount of an nsfs file per name.
/// </summary>
public static class NamedNamespaces
{
    /// <summary>NETNS_RUN_DIR of iproute2.</summary>
    public const string RunDirectory = "/run/netns";

    /// <summary>/run/netns/NAME, after checking the name.</summary>
    public static string PathOf(string name) => System.IO.Path.Combine(RunDirectory, Names.CheckNamespaceName(name));

    /// <summary>
    /// Creates a named namespace with only a down loopback in it.
    /// Equivalent to: `ip netns add NAME`.
    /// </summary>
    public static NetNamespace Create(string name)
    {
        var made = Create(name, null, out var handle);
        handle.Dispose();
        return made;
    }

    /// <summary>
    /// <see cref="Create(string)"/>, also running <paramref name="inside"/> in the new namespace on the worker thread
    /// once the namespace is pinned (it must not throw: by then the namespace is made, and a failure here would leave it
    /// mounted with no one to report it), and handing back the open handle on the new namespace (the caller's to dispose).
    /// </summary>
    internal static NetNamespace Create(string name, Action? inside, out NamespaceHandle handle) =>
        Create(name, null, inside, out handle);

    /// <summary>
    /// <see cref="Create(string, Action?, out NamespaceHandle)"/>, running <paramref name="beforePin"/> first, in the new
    /// namespace on the worker thread before it is bound onto its name: what it writes there (a lab's ownership tag) is
    /// in the namespace from the moment the name exists, so a process killed at any moment leaves either no namespace,
    /// a stale mount point (no namespace on it: removable, taken over by the next creation), or one carrying it. If it
    /// throws, the new namespace is dropped unpinned and the mount point removed.
    /// </summary>
    internal static NetNamespace Create(string name, Action? beforePin, Action? inside, out NamespaceHandle handle)
    {
        Names.CheckNewNamespaceName(name, "create namespace");
        string path = PathOf(name);
        using (LockRunDirectory())
        {
            CreateMountPoint(path, name);
            try
            {
                // On the dedicated worker thread: unshare(CLONE_NEWNET), pin the new namespace on the file, switch back.
                NamespaceWorker.RunInNewNamespace<object?>(() =>
                {
                    beforePin?.Invoke();
                    BindMount(NamespaceHandle.CurrentPath, path, name);
                    inside?.Invoke();
                    return null;
                });
            }
            catch
            {
                Libc.unlink(path);
                throw;
            }
        }
        // A namespace this new has no id in the caller's namespace yet: no need to ask.
        handle = NamespaceHandle.OpenName(name);
        return Describe(handle);
    }

    /// <summary>
    /// Gives the network namespace of process <paramref name="pid"/> a name.
    /// Equivalent to: `ip netns attach NAME PID`.
    /// </summary>
    public static NetNamespace Attach(string name, int pid)
    {
        if (pid <= 0)
            throw NetNsException.Invalid("attach namespace", pid.ToString(), $"process id {pid} is not valid");
        if (!Directory.Exists($"/proc/{pid}"))
            throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "attach namespace", $"process {pid} not found", pid.ToString(),
                Errno.ESRCH);
        var ns = AttachFile(name, $"/proc/{pid}/ns/net");
        return new NetNamespace { Name = ns.Name, Path = ns.Path, NsId = ns.NsId, Inode = ns.Inode, Device = ns.Device, ProcessId = pid };
    }

    /// <summary>
    /// Gives an existing namespace file (e.g. /run/docker/netns/ID) a name under /run/netns.
    /// Equivalent to: `touch /run/netns/NAME; mount --bind FILE /run/netns/NAME`.
    /// </summary>
    public static NetNamespace AttachFile(string name, string sourcePath)
    {
        Names.CheckNewNamespaceName(name, "attach namespace");
        string path = PathOf(name);
        // Check the source first, so nothing is created for a bad one.
        NamespaceHandle.OpenPath(sourcePath).Dispose();
        using (LockRunDirectory())
        {
            CreateMountPoint(path, name);
            try
            {
                BindMount(sourcePath, path, name);
            }
            catch
            {
                Libc.unlink(path);
                throw;
            }
        }
        using var attached = NamespaceHandle.OpenName(name);
        return Describe(attached); // without its nsid: that is a netlink query, a layer up
    }

    /// <summary>
    /// Removes a named namespace: unmounts (MNT_DETACH) and deletes its file. The namespace itself lives on
    /// while processes or other mounts still hold it. Equivalent to: `ip netns delete NAME`.
    /// </summary>
    public static void Delete(string name)
    {
        Names.CheckNamespaceName(name, "delete namespace");
        string path = PathOf(name);
        FileIdentity.TryOfPath(path, out var identity, out int statErr);
        if (statErr == Errno.ENOENT)
            throw NetNsException.FromErrno("delete", Errno.ENOENT, ObjectKind.Namespace, name);
        if (statErr == 0)
            NamespaceRetirement.Retire(identity); // NetNs's own warm threads and cached handles must not keep it alive
        // Every layer: a second bind stacked on the file (by hand, or a crashed tool) would otherwise be left, and
        // unlink would report the namespace busy. EINVAL: no mount (left) on it, a stale file; still remove it.
        for (int layer = 0; Libc.umount2(path, Libc.MNT_DETACH) == 0; layer++)
        {
            if (layer == 64)
                throw new NetNsException(NetNsErrorReason.NamespaceBusy, "delete namespace", $"namespace '{name}' has more than 64 mounts stacked on it", name);
        }
        if (Errno.Last is int umountErr && umountErr != Errno.EINVAL)
            throw NetNsException.FromErrno("unmount", umountErr, ObjectKind.Namespace, name);
        if (Libc.unlink(path) != 0)
        {
            int errno = Errno.Last;
            if (errno == Errno.EBUSY)
            {
                var holders = NamespaceProcesses.ProcessIdsIn(identity);
                string who = holders.Count == 0 ? "a mount in another mount namespace" : "processes " + string.Join(", ", holders);
                throw new NetNsException(NetNsErrorReason.NamespaceBusy, "delete namespace",
                    $"namespace '{name}' is busy: it is still held by {who}", name, errno);
            }
            throw NetNsException.FromErrno("delete", errno, ObjectKind.Namespace, name);
        }
    }

    /// <summary>
    /// Removes /run/netns/NAME when it is a mount point a killed creation left (no namespace on it; see
    /// <see cref="StaleMountPoints"/>), checked under /run/netns's lock so a creation in progress (ours or iproute2's)
    /// is never taken for one. False, and nothing done, for anything else. Equivalent to: `rm /run/netns/NAME` of a stale file.
    /// </summary>
    internal static bool DeleteLeftover(string name)
    {
        string path = PathOf(name);
        using (LockRunDirectory())
            return StaleMountPoints.IsLeftover(path) && Libc.unlink(path) == 0;
    }

    /// <summary>Whether /run/netns/NAME exists.</summary>
    public static bool Exists(string name) => Names.NamespaceNameError(name) is null && File.Exists(PathOf(name));

    /// <summary>Describes an open namespace (no id lookup).</summary>
    public static NetNamespace Describe(NamespaceHandle h, int? nsid = null) => new()
    {
        Name = h.Name,
        Path = h.Path,
        NsId = nsid,
        Inode = h.Identity.Inode,
        Device = h.Identity.Device,
    };

    /// <summary>The first name under /run/netns (in ordinal order) that pins the namespace with <paramref name="identity"/>, or null.</summary>
    public static string? FindName(FileIdentity identity) => FindNames(identity).FirstOrDefault();

    /// <summary>
    /// Every name under /run/netns that pins the namespace with <paramref name="identity"/> (one namespace
    /// can have several). Equivalent to: `ip netns identify PID`, given the process's namespace.
    /// </summary>
    public static IReadOnlyList<string> FindNames(FileIdentity identity) =>
        ListNames().Where(name => FileIdentity.TryOfPath(System.IO.Path.Combine(RunDirectory, name), out var id, out _) && id == identity).ToList();

    /// <summary>The name when <paramref name="path"/> is /run/netns/NAME, else null.</summary>
    public static string? NameOfPath(string path)
    {
        string? dir = System.IO.Path.GetDirectoryName(path);
        string file = System.IO.Path.GetFileName(path);
        return dir == RunDirectory && Names.NamespaceNameError(file) is null ? file : null;
    }

    /// <summary>The file names in /run/netns, sorted (ordinal), without opening them.</summary>
    public static IReadOnlyList<string> ListNames()
    {
        if (!Directory.Exists(RunDirectory))
            return [];
        var names = new List<string>();
        foreach (string file in Directory.EnumerateFileSystemEntries(RunDirectory))
            names.Add(System.IO.Path.GetFileName(file));
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static void CreateMountPoint(string path, string name)
    {
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0);
        int errno = fd < 0 ? Errno.Last : 0; // before anything else touches errno
        if (errno == Errno.EEXIST && StaleMountPoints.IsLeftover(path))
            return; // a crashed creation's mount point (we hold the lock): take it over
        if (fd < 0)
            throw NetNsException.FromErrno("create", errno, ObjectKind.Namespace, name);
        Libc.close(fd);
    }

    private static unsafe void BindMount(string source, string target, string name)
    {
        if (Libc.mount(source, target, "none", Libc.MS_BIND, null) != 0)
            throw NetNsException.FromErrno("bind-mount", Errno.Last, ObjectKind.Namespace, name);
    }

    /// <summary>
    /// mkdir /run/netns, take its flock (parallel adds would otherwise stack mounts: Debian bug 949235) and,
    /// under the lock, make it a shared mount as iproute2's netns_add does: MS_SHARED|MS_REC, and on EINVAL (not a
    /// mount point yet) bind it onto itself, once (a second EINVAL is an error, not another bind: the
    /// made_netns_run_dir_mount guard), and make that new mount private first so MS_SHARED gives it a peer group of
    /// its own instead of joining its parent's (which would propagate every namespace mount to /run as well).
    /// </summary>
    private static unsafe SafeFd LockRunDirectory()
    {
        if (Libc.mkdir(RunDirectory, 0x1ed /* 0755 */) != 0 && Errno.Last != Errno.EEXIST)
            throw NetNsException.FromErrno("create directory " + RunDirectory + " for", Errno.Last, ObjectKind.Namespace, null);
        int fd = Libc.open(RunDirectory, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
            throw NetNsException.FromErrno("open " + RunDirectory + " for", Errno.Last, ObjectKind.Namespace, null);
        var lockFd = new SafeFd(fd);
        try
        {
            if (Libc.flock(fd, Libc.LOCK_EX) != 0)
                throw NetNsException.FromErrno("lock " + RunDirectory + " for", Errno.Last, ObjectKind.Namespace, null);
            bool madeMount = false;
            while (Libc.mount("", RunDirectory, "none", Libc.MS_SHARED | Libc.MS_REC, null) != 0)
            {
                if (Errno.Last != Errno.EINVAL || madeMount)
                    throw NetNsException.FromErrno("make " + RunDirectory + " a shared mount for", Errno.Last, ObjectKind.Namespace, null);
                if (Libc.mount(RunDirectory, RunDirectory, "none", Libc.MS_BIND | Libc.MS_REC, null) != 0
                    || Libc.mount("", RunDirectory, "none", Libc.MS_PRIVATE | Libc.MS_REC, null) != 0)
                    throw NetNsException.FromErrno("make " + RunDirectory + " a mount point for", Errno.Last, ObjectKind.Namespace, null);
                madeMount = true;
            }
            return lockFd; // closing the descriptor releases the flock
        }
        catch
        {
            lockFd.Dispose();
            throw;
        }
    }
}
