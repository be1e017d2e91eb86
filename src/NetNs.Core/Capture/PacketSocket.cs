using System.Runtime.InteropServices;
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
    private const int ControlSize = 128, NameSize = 24, MaxBatch = 64, BatchBytes = 2 * 1024 * 1024;
    private readonly SafeFd _fd;
    private readonly int _slots, _slotSize;
    private readonly MMsgHdr* _messages;
    private readonly byte* _memory;

    private PacketSocket(SafeFd fd, int snapLength, int ifIndex)
    {
        _fd = fd;
        IfIndex = ifIndex;
        // One native block: per slot a packet buffer of the snap length, its address, control messages and iovec.
        _slotSize = snapLength;
        _slots = Math.Clamp(BatchBytes / snapLength, 1, MaxBatch);
        nuint perSlot = (nuint)(((snapLength + 7) & ~7) + NameSize + ControlSize + sizeof(IoVec));
        _memory = (byte*)NativeMemory.AllocZeroed(perSlot * (nuint)_slots);
        _messages = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(sizeof(MMsgHdr) * _slots));
        for (int i = 0; i < _slots; i++)
        {
            byte* slot = _memory + perSlot * (nuint)i;
            var iov = (IoVec*)(slot + ((snapLength + 7) & ~7) + NameSize + ControlSize);
            iov->Base = slot;
            iov->Len = (nuint)snapLength;
            _messages[i].Header.Name = slot + ((snapLength + 7) & ~7);
            _messages[i].Header.Control = slot + ((snapLength + 7) & ~7) + NameSize;
            _messages[i].Header.Iov = iov;
            _messages[i].Header.IovLen = 1;
        }
    }

    /// <summary>How many packets one <see cref="ReceiveBatch"/> can return.</summary>
    public int BatchSize => _slots;

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
    /// Receives the packets queued now, up to the batch size, with one recvmmsg(2) (MSG_WAITFORONE: it waits, at most
    /// the poll interval, for the first only; with <paramref name="dontWait"/> not at all). Returns how many (0: none
    /// came); read each with <see cref="Packet"/> before the next call.
    /// </summary>
    public int ReceiveBatch(bool dontWait)
    {
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            for (int i = 0; i < _slots; i++)
            {
                _messages[i].Header.NameLen = SockaddrLlSize;
                _messages[i].Header.ControlLen = ControlSize;
                _messages[i].Header.Flags = 0;
                _messages[i].Length = 0;
            }
            while (true)
            {
                int n = recvmmsg(_fd.Value, _messages, (uint)_slots, MSG_WAITFORONE | (dontWait ? MSG_DONTWAIT : 0), null);
                if (n >= 0)
                    return n;
                int errno = Errno.Last;
                if (errno == Errno.EINTR)
                    continue;
                if (errno == Errno.EAGAIN)
                    return 0;
                throw NetNsException.FromErrno("receive packets", errno, ObjectKind.Link, null);
            }
        }
        finally
        {
            if (added)
                _fd.DangerousRelease();
        }
    }

    /// <summary>Packet <paramref name="i"/> of the last batch: a view of the socket's buffer, valid until the next batch.</summary>
    public ReadOnlySpan<byte> Packet(int i, out int ifIndex, out byte packetType, out ushort haType, out int originalLength, out long timestampNs)
    {
        ref var m = ref _messages[i];
        byte* sll = (byte*)m.Header.Name;
        int length = (int)Math.Min(m.Length, (uint)_slotSize);
        ifIndex = *(int*)(sll + 4);
        haType = *(ushort*)(sll + 8);
        packetType = sll[10];
        originalLength = length;
        timestampNs = 0;
        ReadControl((byte*)m.Header.Control, (int)m.Header.ControlLen, ref originalLength, ref timestampNs);
        if (timestampNs == 0)
            timestampNs = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        return new ReadOnlySpan<byte>(((IoVec*)m.Header.Iov)->Base, length);
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

    /// <summary>Closes the socket and frees its buffers (only its reader calls this, after its last batch).</summary>
    public void Dispose()
    {
        if (_fd.IsClosed)
            return;
        _fd.Dispose();
        NativeMemory.Free(_memory);
        NativeMemory.Free(_messages);
    }
}
