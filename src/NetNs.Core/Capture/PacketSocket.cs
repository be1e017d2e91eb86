using NetNs.Core.Interop;
using static NetNs.Core.PacketInterop;

namespace NetNs.Core;

/// <summary>
/// An AF_PACKET socket (what tcpdump opens) made inside one namespace on NetNs's worker thread, bound to one interface
/// (or to every interface of the namespace), with a classic BPF filter attached before it is bound (no unfiltered
/// packet slips in between). Read with recvmsg(2): the kernel's nanosecond timestamp (SO_TIMESTAMPNS) and the original
/// length (PACKET_AUXDATA) come as control messages, the direction from sll_pkttype. The socket belongs to its namespace
/// whichever thread reads it. Equivalent to `ip netns exec NS tcpdump -i IF FILTER`.
/// </summary>
internal sealed unsafe class PacketSocket : IDisposable
{
    private const int ControlSize = 128;
    private readonly SafeFd _fd;
    private readonly byte[] _buffer;

    private PacketSocket(SafeFd fd, int snapLength, int ifIndex)
    {
        _fd = fd;
        _buffer = new byte[snapLength];
        IfIndex = ifIndex;
    }

    /// <summary>The interface it is bound to (0: every interface of the namespace).</summary>
    public int IfIndex { get; }

    /// <summary>
    /// Opens one inside <paramref name="ns"/> (null: the calling thread's namespace), bound to <paramref name="ifIndex"/>
    /// (0: all), filtered by <paramref name="program"/>, with a receive buffer of <paramref name="bufferSize"/> bytes
    /// and reads that give up after <paramref name="poll"/> so a reader can notice a stop.
    /// </summary>
    public static PacketSocket Open(NamespaceHandle? ns, int ifIndex, BpfProgram program, int snapLength, int bufferSize, TimeSpan poll)
    {
        SafeFd Create() => CreateHere(ifIndex, program, bufferSize, poll);
        var fd = ns is null ? Create() : NamespaceWorker.Run(ns, Create);
        return new PacketSocket(fd, snapLength, ifIndex);
    }

    // Runs inside the namespace (the socket's namespace is the one its creating thread is in).
    private static SafeFd CreateHere(int ifIndex, BpfProgram program, int bufferSize, TimeSpan poll)
    {
        // Protocol 0: no packet is queued until bind names ETH_P_ALL, after the filter is in place.
        int fd = Libc.socket(AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
            throw NetNsException.FromErrno("open packet socket", Errno.Last, ObjectKind.Link, null);
        var handle = new SafeFd(fd);
        try
        {
            int one = 1;
            Set(fd, Libc.SOL_SOCKET, SO_TIMESTAMPNS, &one, 4, "enable packet timestamps");
            Set(fd, SOL_PACKET, PACKET_AUXDATA, &one, 4, "enable packet aux data");
            if (bufferSize > 0 && Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_RCVBUFFORCE, &bufferSize, 4) != 0)
                Set(fd, Libc.SOL_SOCKET, SO_RCVBUF, &bufferSize, 4, "set the capture buffer size");
            long* tv = stackalloc long[2] { (long)poll.TotalSeconds, (long)(poll.TotalMilliseconds % 1000) * 1000 };
            Set(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, 16, "set the capture receive timeout");
            fixed (byte* insns = program.Instructions)
            {
                var prog = new SockFprog { Len = (ushort)program.Count, Filter = insns };
                Set(fd, Libc.SOL_SOCKET, SO_ATTACH_FILTER, &prog, (uint)sizeof(SockFprog), "attach the capture filter");
            }
            byte* sll = stackalloc byte[SockaddrLlSize];
            new Span<byte>(sll, SockaddrLlSize).Clear();
            *(ushort*)sll = AF_PACKET;
            *(ushort*)(sll + 2) = (ushort)((ETH_P_ALL << 8) | (ETH_P_ALL >> 8)); // htons
            *(int*)(sll + 4) = ifIndex;
            if (Libc.bind(fd, sll, SockaddrLlSize) != 0)
                throw NetNsException.FromErrno("bind packet socket", Errno.Last, ObjectKind.Link, null);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void Set(int fd, int level, int name, void* value, uint size, string what)
    {
        if (Libc.setsockopt(fd, level, name, value, size) != 0)
            throw NetNsException.FromErrno(what, Errno.Last, ObjectKind.Link, null);
    }

    /// <summary>
    /// The next packet, or false when the poll interval passed with none (or, with <paramref name="dontWait"/>, none is
    /// queued). <paramref name="data"/> is a view of an internal buffer valid until the next call.
    /// </summary>
    public bool Receive(bool dontWait, out ReadOnlySpan<byte> data, out int ifIndex, out byte packetType, out ushort haType,
        out int originalLength, out long timestampNs)
    {
        data = default;
        ifIndex = 0;
        packetType = 0;
        haType = 0;
        originalLength = 0;
        timestampNs = 0;
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            byte* sll = stackalloc byte[SockaddrLlSize];
            byte* control = stackalloc byte[ControlSize];
            fixed (byte* buf = _buffer)
            {
                var iov = new IoVec { Base = buf, Len = (nuint)_buffer.Length };
                var msg = new MsgHdr { Name = sll, NameLen = SockaddrLlSize, Iov = &iov, IovLen = 1, Control = control, ControlLen = ControlSize };
                nint n;
                while (true)
                {
                    n = recvmsg(_fd.Value, &msg, dontWait ? MSG_DONTWAIT : 0);
                    if (n >= 0)
                        break;
                    int errno = Errno.Last;
                    if (errno == Errno.EINTR)
                        continue;
                    if (errno == Errno.EAGAIN)
                        return false;
                    throw NetNsException.FromErrno("receive packets", errno, ObjectKind.Link, null);
                }
                int length = (int)Math.Min(n, _buffer.Length);
                data = new ReadOnlySpan<byte>(buf, length);
                ifIndex = *(int*)(sll + 4);
                haType = *(ushort*)(sll + 8);
                packetType = sll[10];
                originalLength = length;
                ReadControl(control, (int)msg.ControlLen, ref originalLength, ref timestampNs);
                if (timestampNs == 0)
                    timestampNs = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
                return true;
            }
        }
        finally
        {
            if (added)
                _fd.DangerousRelease();
        }
    }

    private static void ReadControl(byte* control, int length, ref int originalLength, ref long timestampNs)
    {
        int offset = 0;
        while (offset + 16 <= length)
        {
            long cmsgLen = *(long*)(control + offset);
            if (cmsgLen < 16 || offset + cmsgLen > length)
                break;
            int level = *(int*)(control + offset + 8), type = *(int*)(control + offset + 12);
            byte* payload = control + offset + 16;
            if (level == Libc.SOL_SOCKET && type == SO_TIMESTAMPNS && cmsgLen >= 32)
                timestampNs = *(long*)payload * 1_000_000_000L + *(long*)(payload + 8);
            else if (level == SOL_PACKET && type == PACKET_AUXDATA && cmsgLen >= 16 + sizeof(AuxData))
                originalLength = (int)((AuxData*)payload)->Len;
            offset += (int)((cmsgLen + 7) & ~7L);
        }
    }

    /// <summary>How many packets the kernel dropped (receive buffer full) since the last call (PACKET_STATISTICS resets on read).</summary>
    public long TakeDrops()
    {
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            uint* stats = stackalloc uint[2];
            uint size = 8;
            if (getsockopt(_fd.Value, SOL_PACKET, PACKET_STATISTICS, stats, &size) != 0)
                throw NetNsException.FromErrno("read capture statistics", Errno.Last, ObjectKind.Link, null);
            return stats[1];
        }
        finally
        {
            if (added)
                _fd.DangerousRelease();
        }
    }

    public void Dispose() => _fd.Dispose();
}
