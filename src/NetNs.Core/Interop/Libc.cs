using System.Runtime.InteropServices;

namespace NetNs.Core.Interop;

// Own LibraryImport declarations rather than a wrapper package: Tmds.LibC (0.5.0, 2020, the only one on NuGet)
// lacks flock, gettid, sockaddr_nl and the NETLINK_* socket options, and ships per-RID assemblies; these few
// dozen declarations are checked against /usr/include on the machine and trimmed to what NetNs calls.

/// <summary>
/// The libc calls NetNs needs, under their C names. Every call sets errno (SetLastError), which
/// <see cref="Errno.Last"/> reads; callers turn failures into NetNs errors (Interop depends on nothing else in NetNs.Core).
/// </summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    // socket(2) and friends
    public const int AF_NETLINK = 16;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1;
    public const int SO_RCVTIMEO = 20;
    public const int MSG_PEEK = 0x2;
    public const int MSG_TRUNC = 0x20;

    // open(2)
    public const int O_RDONLY = 0;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_DIRECTORY = 0x10000;
    public const int O_CLOEXEC = 0x80000;
    public const int O_NONBLOCK = 0x800;
    public const int O_NOCTTY = 0x100;

    // namespaces(7), mount(2), flock(2)
    public const int CLONE_FS = 0x00000200;
    public const int CLONE_NEWNS = 0x00020000;
    public const int CLONE_NEWNET = 0x40000000;
    public const ulong MS_RDONLY = 0x1;
    public const ulong MS_BIND = 0x1000;
    public const ulong MS_REC = 0x4000;
    public const ulong MS_SLAVE = 1 << 19;
    public const ulong MS_SHARED = 1 << 20;
    public const ulong MS_PRIVATE = 1 << 18;
    public const int MNT_DETACH = 0x2;
    public const int LOCK_EX = 2;

    // statx(2)
    public const int AT_FDCWD = -100;
    public const int AT_EMPTY_PATH = 0x1000;
    public const uint STATX_TYPE = 0x1;
    public const uint STATX_INO = 0x100;

    // ioctl_ns(2): NS_GET_NSTYPE = _IO(0xb7, 0x3)
    public const uint NS_GET_NSTYPE = 0xb703;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int bind(int sockfd, void* addr, uint addrlen);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setsockopt(int sockfd, int level, int optname, void* optval, uint optlen);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint sendto(int sockfd, void* buf, nuint len, int flags, void* destAddr, uint addrlen);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint recvfrom(int sockfd, void* buf, nuint len, int flags, void* srcAddr, uint* addrlen);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(int fd, void* buf, nuint count);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string pathname, int flags, uint mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int unshare(int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string? source, string target, string? filesystemtype, ulong mountflags, void* data);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdir(string pathname, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlink(string pathname);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(int dirfd, string pathname, int flags, uint mask, byte* statxbuf);

    [LibraryImport(Lib)]
    public static partial int geteuid();

    // capget(2): header { u32 version; int pid } (pid 0: the calling thread), data[2] { u32 effective, permitted, inheritable }.
    public const uint LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int capget(uint* header, uint* data);

    // inotify(7), for names appearing in and leaving /run/netns (what `ip netns monitor` watches).
    public const int IN_CLOEXEC = 0x80000;
    public const uint IN_CREATE = 0x100, IN_DELETE = 0x200, IN_MOVED_FROM = 0x40, IN_MOVED_TO = 0x80, IN_Q_OVERFLOW = 0x4000;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int inotify_init1(int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int inotify_add_watch(int fd, string pathname, uint mask);

    // poll(2) on one descriptor: struct pollfd { int fd; short events; short revents; }.
    public const short POLLIN = 1;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int poll(void* fds, nuint nfds, int timeout);

    // Used by the tests (which thread is which in /proc/self/task).
    [LibraryImport(Lib)]
    public static partial int gettid();
}
