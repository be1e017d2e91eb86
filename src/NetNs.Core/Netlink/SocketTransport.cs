using System.Buffers;
using NetNs.Core.Interop;

namespace NetNs.Core.Netlink;

/// <summary>Carries netlink datagrams: a kernel socket, or a scripted transport in tests.</summary>
internal interface INetlinkTransport : IDisposable
{
    /// <summary>Sends one request.</summary>
    void Send(ReadOnlySpan<byte> message);

    /// <summary>Receives one datagram from the kernel; valid until the next call or <see cref="EndTransaction"/>.</summary>
    ReadOnlySpan<byte> Receive();

    /// <summary>A transaction's last datagram has been read: what holds it may be given back until the next one.</summary>
    void EndTransaction() { }
}

/// <summary>
/// A netlink socket(2) (NETLINK_ROUTE, or another protocol named), bound, with extended ACKs, capped ACKs and strict dump checking asked for,
/// and a receive timeout as a backstop. It belongs to the namespace of the thread that opened it.
/// </summary>
internal sealed unsafe class SocketTransport : INetlinkTransport
{
    private const int NETLINK_ROUTE = 0;
    private const int SOL_NETLINK = 270;
    private const int NETLINK_CAP_ACK = 10;
    private const int NETLINK_EXT_ACK = 11;
    private const int NETLINK_GET_STRICT_CHK = 12;

    /// <summary>How long to wait for the kernel before giving up (it always answers; this is a backstop).</summary>
    public static TimeSpan ReceiveTimeout { get; } = TimeSpan.FromSeconds(30);

    private const int ReceiveBufferSize = 32 * 1024;

    private readonly SafeFd _fd;
    // Rented for one transaction at a time, not for the socket's life: a lab read holds hundreds of sockets open at
    // once, far more than the pool keeps, and a fresh zeroed 32 KiB for each was most of its garbage and page faults.
    private byte[] _rx = [];

    private SocketTransport(SafeFd fd) => _fd = fd;

    /// <summary>
    /// Opens a netlink socket of <paramref name="protocol"/> (NETLINK_ROUTE unless named; NETLINK_NETFILTER 12 for
    /// nf_tables queries) in the calling thread's network namespace.
    /// </summary>
    public static SocketTransport Open(int protocol = NETLINK_ROUTE)
    {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        if (fd < 0)
            throw NetNsException.FromErrno("open netlink socket", Errno.Last, ObjectKind.Netlink, null);
        var handle = new SafeFd(fd);
        try
        {
            int one = 1;
            // Best effort: older kernels lack these; the socket still works without them.
            Libc.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, 4);
            Libc.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, 4);
            Libc.setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, 4);
            long* tv = stackalloc long[2] { (long)ReceiveTimeout.TotalSeconds, 0 };
            if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, 16) != 0)
                throw NetNsException.FromErrno("set netlink receive timeout", Errno.Last, ObjectKind.Netlink, null);
            byte* addr = stackalloc byte[12];
            new Span<byte>(addr, 12).Clear();
            *(ushort*)addr = Libc.AF_NETLINK;
            if (Libc.bind(fd, addr, 12) != 0)
                throw NetNsException.FromErrno("bind netlink socket", Errno.Last, ObjectKind.Netlink, null);
            return new SocketTransport(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Send(ReadOnlySpan<byte> msg)
    {
        byte* addr = stackalloc byte[12];
        new Span<byte>(addr, 12).Clear();
        *(ushort*)addr = Libc.AF_NETLINK;
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            fixed (byte* p = msg)
            {
                while (true)
                {
                    nint sent = Libc.sendto(_fd.Value, p, (nuint)msg.Length, 0, addr, 12);
                    if (sent >= 0)
                        return;
                    int errno = Errno.Last;
                    if (errno != Errno.EINTR)
                        throw NetNsException.FromErrno("send netlink request", errno, ObjectKind.Netlink, null);
                }
            }
        }
        finally
        {
            if (added)
                _fd.DangerousRelease();
        }
    }

    /// <summary>Receives one datagram into the buffer, growing it first if the datagram is larger (MSG_PEEK|MSG_TRUNC).</summary>
    public ReadOnlySpan<byte> Receive()
    {
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            if (_rx.Length == 0)
                _rx = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
            int size = RecvFrom(Libc.MSG_PEEK | Libc.MSG_TRUNC);
            if (size > _rx.Length)
            {
                var old = _rx;
                _rx = ArrayPool<byte>.Shared.Rent(Align.Message(size));
                ArrayPool<byte>.Shared.Return(old);
            }
            return _rx.AsSpan(0, RecvFrom(0));
        }
        finally
        {
            if (added)
                _fd.DangerousRelease();
        }
    }

    private int RecvFrom(int flags)
    {
        byte* addr = stackalloc byte[12];
        fixed (byte* p = _rx)
        {
            while (true)
            {
                uint alen = 12;
                nint n = Libc.recvfrom(_fd.Value, p, (nuint)_rx.Length, flags, addr, &alen);
                if (n >= 0)
                {
                    // Only the kernel (nl_pid 0) may answer; drop anything else.
                    if (*(uint*)(addr + 4) != 0)
                    {
                        if ((flags & Libc.MSG_PEEK) != 0)
                            Libc.recvfrom(_fd.Value, p, (nuint)_rx.Length, 0, addr, &alen);
                        continue;
                    }
                    return (int)n;
                }
                int errno = Errno.Last;
                if (errno == Errno.EINTR)
                    continue;
                if (errno == Errno.EAGAIN)
                    throw new NetNsException(NetNsErrorReason.Timeout, "receive netlink reply",
                        $"the kernel did not answer within {ReceiveTimeout.TotalSeconds} s", null, errno);
                throw NetNsException.FromErrno("receive netlink reply", errno, ObjectKind.Netlink, null);
            }
        }
    }

    public void EndTransaction()
    {
        if (_rx.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_rx);
            _rx = [];
        }
    }

    public void Dispose()
    {
        _fd.Dispose();
        EndTransaction();
    }
}
