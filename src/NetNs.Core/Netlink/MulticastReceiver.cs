using NetNs.Core.Interop;

namespace NetNs.Core.Netlink;

/// <summary>
/// A NETLINK_ROUTE socket joined to multicast groups (what `ip monitor` opens): the kernel sends it a message for
/// every change of the groups' objects in the namespace the socket was made in. Receives with a short timeout so a
/// reader can notice it was asked to stop; reports an overrun (ENOBUFS: the receive buffer filled and the kernel
/// dropped messages) instead of hiding it.
/// </summary>
internal sealed unsafe class MulticastReceiver : IDisposable
{
    private const int NETLINK_ROUTE = 0, SO_RCVBUF = 8, SO_RCVBUFFORCE = 33;
    private readonly SafeFd _fd;
    private readonly byte[] _buffer = new byte[64 * 1024];

    private MulticastReceiver(SafeFd fd) => _fd = fd;

    /// <summary>Opens one in the calling thread's namespace, joined to <paramref name="groups"/> (RTMGRP_* bits).</summary>
    public static MulticastReceiver Open(uint groups, TimeSpan poll)
    {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0)
            throw NetNsException.FromErrno("open netlink socket", Errno.Last, ObjectKind.Netlink, null);
        var handle = new SafeFd(fd);
        try
        {
            int size = 4 * 1024 * 1024;
            if (Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_RCVBUFFORCE, &size, 4) != 0)
                Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_RCVBUF, &size, 4);
            long* tv = stackalloc long[2] { (long)poll.TotalSeconds, (long)(poll.TotalMilliseconds % 1000) * 1000 };
            if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, 16) != 0)
                throw NetNsException.FromErrno("set netlink receive timeout", Errno.Last, ObjectKind.Netlink, null);
            byte* addr = stackalloc byte[12];
            new Span<byte>(addr, 12).Clear();
            *(ushort*)addr = Libc.AF_NETLINK;
            *(uint*)(addr + 8) = groups;
            if (Libc.bind(fd, addr, 12) != 0)
                throw NetNsException.FromErrno("join netlink groups", Errno.Last, ObjectKind.Netlink, null);
            return new MulticastReceiver(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One datagram (possibly several messages), or an empty span when the poll interval passed with nothing;
    /// <paramref name="overrun"/> when the kernel dropped messages since the last call.
    /// </summary>
    public ReadOnlySpan<byte> Receive(out bool overrun)
    {
        overrun = false;
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            byte* addr = stackalloc byte[12];
            fixed (byte* p = _buffer)
            {
                while (true)
                {
                    uint alen = 12;
                    nint n = Libc.recvfrom(_fd.Value, p, (nuint)_buffer.Length, 0, addr, &alen);
                    if (n >= 0)
                        return *(uint*)(addr + 4) == 0 ? _buffer.AsSpan(0, (int)n) : []; // only the kernel speaks
                    int errno = Errno.Last;
                    if (errno == Errno.EINTR)
                        continue;
                    if (errno == Errno.EAGAIN)
                        return [];
                    if (errno == Errno.ENOBUFS)
                    {
                        overrun = true;
                        return [];
                    }
                    throw NetNsException.FromErrno("receive netlink events", errno, ObjectKind.Netlink, null);
                }
            }
        }
        finally
        {
            if (added)
                _fd.DangerousRelease();
        }
    }

    public void Dispose() => _fd.Dispose();
}
