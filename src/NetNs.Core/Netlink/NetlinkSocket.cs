using System.Buffers.Binary;
using NetNs.Core.Interop;

namespace NetNs.Core.Netlink;

/// <summary>What a request is about, so a failure can be worded for a human and given a reason.</summary>
internal readonly record struct ErrorContext(string Operation, ObjectKind Kind, string? Target, string? Namespace = null);

/// <summary>Reads one reply message into an item; returns false to skip the message.</summary>
internal delegate bool MessageParser<T>(in NetlinkHeader header, ReadOnlySpan<byte> payload, out T item);

/// <summary>
/// A NETLINK_ROUTE socket. It belongs to the namespace of the thread that opened it and can then be used
/// from any thread. Every change is sent with NLM_F_ACK and its ACK checked; dumps are read to NLMSG_DONE
/// and retried when the kernel flags NLM_F_DUMP_INTR; errors carry the kernel's extended-ACK message.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private const int NETLINK_ROUTE = 0;
    private const int SOL_NETLINK = 270;
    private const int NETLINK_CAP_ACK = 10;
    private const int NETLINK_EXT_ACK = 11;
    private const int NETLINK_GET_STRICT_CHK = 12;
    private const int MaxDumpAttempts = 10;

    /// <summary>How long to wait for the kernel before giving up (it always answers; this is a backstop).</summary>
    public static TimeSpan ReceiveTimeout { get; } = TimeSpan.FromSeconds(30);

    private readonly SafeFd _fd;
    private readonly object _gate = new();
    private byte[] _rx = new byte[32 * 1024];
    private uint _seq;

    private NetlinkSocket(SafeFd fd)
    {
        _fd = fd;
        _seq = (uint)Environment.TickCount;
    }

    /// <summary>Opens a NETLINK_ROUTE socket in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open()
    {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
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
            return new NetlinkSocket(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Sends a change with NLM_F_ACK and waits for its ACK; a non-zero error throws.</summary>
    public void Execute(MessageWriter request, in ErrorContext ctx)
    {
        request.Flags |= NetlinkFlags.Request | NetlinkFlags.Ack;
        Transact<int>(request, null, ctx, out _);
    }

    /// <summary>Sends a request that answers with data messages (a single GET, or a dump) and collects them.</summary>
    public List<T> Query<T>(MessageWriter request, MessageParser<T> parser, in ErrorContext ctx)
    {
        request.Flags |= NetlinkFlags.Request | NetlinkFlags.Ack;
        bool dump = (request.Flags & NetlinkFlags.Dump) == NetlinkFlags.Dump;
        for (int attempt = 1; ; attempt++)
        {
            var items = Transact(request, parser, ctx, out bool interrupted);
            if (!interrupted || !dump)
                return items;
            if (attempt == MaxDumpAttempts)
                throw new NetNsException(NetNsErrorReason.Timeout, ctx.Operation,
                    $"cannot {ctx.Operation}: the dump kept changing while it was read ({MaxDumpAttempts} attempts)");
        }
    }

    private List<T> Transact<T>(MessageWriter request, MessageParser<T>? parser, in ErrorContext ctx, out bool interrupted)
    {
        var items = new List<T>();
        interrupted = false;
        lock (_gate)
        {
            uint seq = unchecked(++_seq);
            Send(request.Finish(seq));
            while (true)
            {
                int n = Receive();
                var reader = new MessageReader(_rx.AsSpan(0, n));
                while (reader.Next(out var h, out var payload))
                {
                    if (h.Sequence != seq)
                        continue; // a stale reply to an earlier, abandoned request
                    if ((h.Flags & NetlinkFlags.DumpInterrupted) != 0)
                        interrupted = true;
                    switch (h.Type)
                    {
                        case MessageType.Error:
                            ThrowIfError(h, payload, ctx);
                            return items; // the ACK ends the transaction
                        case MessageType.Done:
                            if (payload.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(payload) < 0)
                                ThrowIfError(h, payload, ctx);
                            return items;
                        case MessageType.Noop:
                            continue;
                        case MessageType.Overrun:
                            throw NetlinkDecode.Error("receive buffer overrun");
                        default:
                            if (parser is not null && parser(h, payload, out var item))
                                items.Add(item);
                            break;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Reads struct nlmsgerr { int error; struct nlmsghdr msg; } and, with NLM_F_ACK_TLVS, the extended-ACK
    /// attributes after it (linux/netlink.h); throws when error is non-zero.
    /// </summary>
    internal static void ThrowIfError(in NetlinkHeader h, ReadOnlySpan<byte> payload, in ErrorContext ctx)
    {
        if (payload.Length < 4)
            throw NetlinkDecode.Error("NLMSG_ERROR without an error code");
        int error = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (error == 0)
            return;
        string? message = null;
        if ((h.Flags & NetlinkFlags.AckTlvs) != 0)
            message = ExtendedAckMessage(h, payload);
        throw NetNsException.FromErrno(ctx.Operation, -error, ctx.Kind, ctx.Target, ctx.Namespace, message);
    }

    private static string? ExtendedAckMessage(in NetlinkHeader h, ReadOnlySpan<byte> payload)
    {
        int offset = 4;
        if (h.Type == MessageType.Error)
        {
            if (payload.Length < 4 + NetlinkHeader.Size)
                return null;
            var orig = NetlinkHeader.Read(payload[4..]);
            // NLM_F_CAPPED: only the request's header was echoed; otherwise the whole request.
            if ((h.Flags & NetlinkFlags.Capped) == 0 && (orig.Length < NetlinkHeader.Size || orig.Length > payload.Length - 4))
                return null; // an echoed length that cannot be right: no TLVs to find
            offset += (h.Flags & NetlinkFlags.Capped) != 0 ? NetlinkHeader.Size : Align.Message((int)orig.Length);
        }
        if (offset >= payload.Length)
            return null;
        var attrs = new AttributeReader(payload[offset..]);
        while (attrs.Next(out ushort type, out var value))
        {
            if (type == 1) // NLMSGERR_ATTR_MSG
                return AttributeReader.String(value);
        }
        return null;
    }

    private void Send(ReadOnlySpan<byte> msg)
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
    private int Receive()
    {
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            int size = RecvFrom(Libc.MSG_PEEK | Libc.MSG_TRUNC);
            if (size > _rx.Length)
                _rx = new byte[Align.Message(size)];
            return RecvFrom(0);
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

    public void Dispose() => _fd.Dispose();
}
