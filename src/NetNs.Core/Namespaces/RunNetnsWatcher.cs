using System.Text;
using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>
/// Names added to and removed from /run/netns, as `ip netns monitor` sees them (inotify IN_CREATE / IN_DELETE on the
/// directory): every change, however quickly it is undone. An inotify queue overflow is reported, not hidden.
/// </summary>
internal sealed unsafe class RunNetnsWatcher : IDisposable
{
    private readonly SafeFd _fd;
    private readonly byte[] _buffer = new byte[16 * 1024];

    private RunNetnsWatcher(SafeFd fd) => _fd = fd;

    /// <summary>Starts watching (making /run/netns first when it is not there yet, as `ip netns monitor` does).</summary>
    public static RunNetnsWatcher Open()
    {
        Directory.CreateDirectory(NamedNamespaces.RunDirectory);
        int fd = Libc.inotify_init1(Libc.IN_CLOEXEC);
        if (fd < 0)
            throw NetNsException.FromErrno("watch", Errno.Last, ObjectKind.Namespace, NamedNamespaces.RunDirectory);
        var handle = new SafeFd(fd);
        if (Libc.inotify_add_watch(fd, NamedNamespaces.RunDirectory, Libc.IN_CREATE | Libc.IN_DELETE | Libc.IN_MOVED_FROM | Libc.IN_MOVED_TO) < 0)
        {
            int errno = Errno.Last;
            handle.Dispose();
            throw NetNsException.FromErrno("watch", errno, ObjectKind.Namespace, NamedNamespaces.RunDirectory);
        }
        return new RunNetnsWatcher(handle);
    }

    /// <summary>The changes that arrived within <paramref name="wait"/> ("New"/"Deleted", name); "Overrun" when some were lost.</summary>
    public List<(string Action, string Name)> Read(TimeSpan wait)
    {
        var changes = new List<(string, string)>();
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            int* pfd = stackalloc int[2];
            pfd[0] = _fd.Value;
            pfd[1] = Libc.POLLIN;
            int ready = Libc.poll(pfd, 1, (int)wait.TotalMilliseconds);
            if (ready <= 0)
                return changes;
            nint n;
            fixed (byte* p = _buffer)
                n = Libc.read(_fd.Value, p, (nuint)_buffer.Length);
            // struct inotify_event { int wd; u32 mask; u32 cookie; u32 len; char name[len]; }
            for (int at = 0; n > 0 && at + 16 <= n;)
            {
                uint mask = BitConverter.ToUInt32(_buffer, at + 4);
                int len = BitConverter.ToInt32(_buffer, at + 12);
                string name = Encoding.UTF8.GetString(_buffer, at + 16, len).TrimEnd('\0');
                at += 16 + len;
                if ((mask & Libc.IN_Q_OVERFLOW) != 0)
                    changes.Add(("Overrun", ""));
                else if ((mask & (Libc.IN_CREATE | Libc.IN_MOVED_TO)) != 0)
                    changes.Add(("New", name));
                else if ((mask & (Libc.IN_DELETE | Libc.IN_MOVED_FROM)) != 0)
                    changes.Add(("Deleted", name));
            }
            return changes;
        }
        finally
        {
            if (added)
                _fd.DangerousRelease();
        }
    }

    public void Dispose() => _fd.Dispose();
}
