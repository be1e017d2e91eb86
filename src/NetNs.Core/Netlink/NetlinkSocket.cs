using System.Buffers.Binary;

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
internal sealed class NetlinkSocket : IDisposable
{
    private const int MaxDumpAttempts = 10;

    private readonly INetlinkTransport _transport;
    private readonly object _gate = new();
    private uint _seq;

    /// <summary>Speaks the protocol over <paramref name="transport"/> (a kernel socket, or a scripted one in tests).</summary>
    internal NetlinkSocket(INetlinkTransport transport)
    {
        _transport = transport;
        _seq = (uint)Environment.TickCount;
    }

    /// <summary>Opens a NETLINK_ROUTE socket in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open() => new(SocketTransport.Open());

    /// <summary>Opens a socket of another netlink protocol (NETLINK_NETFILTER 12) in the calling thread's namespace.</summary>
    public static NetlinkSocket Open(int protocol) => new(SocketTransport.Open(protocol));

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
            _transport.Send(request.Finish(seq));
            try
            {
                return Collect(seq, parser, ctx, items, ref interrupted);
            }
            finally
            {
                _transport.EndTransaction();
            }
        }
    }

    private List<T> Collect<T>(uint seq, MessageParser<T>? parser, in ErrorContext ctx, List<T> items, ref bool interrupted)
    {
        while (true)
        {
            var reader = new MessageReader(_transport.Receive());
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
        // Tolerant: bad TLVs must not hide the errno; what was read before them is kept.
        // (NLMSGERR_ATTR_OFFS, the byte of the request the kernel objects to, means nothing to a user: skipped.)
        string? message = null;
        try
        {
            var attrs = new AttributeReader(payload[offset..]);
            while (attrs.Next(out ushort type, out var value))
            {
                if (type == 1) // NLMSGERR_ATTR_MSG
                    message = AttributeReader.String(value);
            }
        }
        catch (NetNsException e) when (e.Reason == NetNsErrorReason.MalformedReply)
        {
            // keep what was found
        }
        return message;
    }

    public void Dispose()
    {
        lock (_gate) // the transport's receive buffer goes back to a pool: never while a transaction reads it
            _transport.Dispose();
    }
}
