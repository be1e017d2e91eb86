using System.Runtime.InteropServices;
using NetNs.Core.Interop;
using static NetNs.Core.PacketInterop;

namespace NetNs.Core;

/// <summary>
/// An AF_PACKET socket (what tcpdump opens) made inside one namespace on NetNs's worker thread, bound to one interface
/// (or to every interface of the namespace), with a classic BPF filter attached before it is bound (no unfiltered
/// packet slips in between), read through a TPACKET_V3 ring as libpcap reads it: the kernel fills blocks of a buffer
/// shared with NetNs (mmap) and hands each over whole, so packets cost no system call and no copy until they are kept.
/// Each packet carries its nanosecond timestamp, its length on the wire, and its sockaddr_ll (interface, direction).
/// The socket belongs to its namespace whichever thread reads it. Equivalent to `ip netns exec NS tcpdump -i IF FILTER`.
/// </summary>
internal sealed unsafe partial class PacketRing : IDisposable
{
    private const int PACKET_VERSION = 10, PACKET_RX_RING = 5, TPACKET_V3 = 2;
    private const int HeaderSize = 48; // TPACKET_ALIGN(sizeof(struct tpacket3_hdr))
    private const uint TP_STATUS_USER = 1;

    /// <summary>How long the kernel keeps a block that is not full before handing it over (tp_retire_blk_tov, ms).</summary>
    public const int RetireMilliseconds = 20;

    private readonly SafeFd _fd;
    private readonly byte* _ring;
    private readonly nuint _ringSize;
    private readonly int _blockSize, _blocks, _pollMs;
    private int _current;
    private byte* _held; // the block handed over by the kernel and being read
    private int[] _offsets = new int[256];

    private PacketRing(SafeFd fd, byte* ring, int blockSize, int blocks, int ifIndex, int pollMs)
    {
        _fd = fd;
        _ring = ring;
        _blockSize = blockSize;
        _blocks = blocks;
        _ringSize = (nuint)blockSize * (nuint)blocks;
        _pollMs = pollMs;
        IfIndex = ifIndex;
    }

    /// <summary>The interface it is bound to (0: every interface of the namespace).</summary>
    public int IfIndex { get; }

    /// <summary>
    /// Opens one inside <paramref name="ns"/> (null: the calling thread's namespace), bound to <paramref name="ifIndex"/>
    /// (0: all), filtered by <paramref name="program"/>, with a ring of about <paramref name="bufferSize"/> bytes (at
    /// least two blocks that each hold a packet of <paramref name="snapLength"/>); waits give up after
    /// <paramref name="poll"/> so a reader can notice a stop.
    /// </summary>
    public static PacketRing Open(NamespaceHandle? ns, int ifIndex, BpfProgram program, int snapLength, int bufferSize, TimeSpan poll)
    {
        // A block holds at least one whole frame (header, address, 16 bytes of room for the MAC alignment, data).
        int frame = (HeaderSize + SockaddrLlSize + 16 + snapLength + 15) & ~15;
        int blockSize = 4096;
        while (blockSize < frame)
            blockSize <<= 1;
        if (blockSize < 65536 && bufferSize >= 2 * 65536)
            blockSize = 65536;
        int blocks = Math.Max(2, bufferSize / blockSize);
        (SafeFd, nint) Create() => CreateHere(ifIndex, program, frame, blockSize, blocks);
        var (fd, ring) = ns is null ? Create() : NamespaceWorker.Run(ns, Create);
        return new PacketRing(fd, (byte*)ring, blockSize, blocks, ifIndex, (int)Math.Max(1, poll.TotalMilliseconds));
    }

    // Runs inside the namespace (the socket's namespace is the one its creating thread is in).
    private static (SafeFd, nint) CreateHere(int ifIndex, BpfProgram program, int frame, int blockSize, int blocks)
    {
        // Protocol 0: no packet is queued until bind names ETH_P_ALL, after the filter and the ring are in place.
        int fd = Libc.socket(AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
            throw NetNsException.FromErrno("open packet socket", Errno.Last, ObjectKind.Link, null);
        var handle = new SafeFd(fd);
        nint ring = -1;
        try
        {
            int version = TPACKET_V3;
            Set(fd, SOL_PACKET, PACKET_VERSION, &version, 4, "select TPACKET_V3");
            fixed (byte* insns = program.Instructions)
            {
                var prog = new SockFprog { Len = (ushort)program.Count, Filter = insns };
                Set(fd, Libc.SOL_SOCKET, SO_ATTACH_FILTER, &prog, (uint)sizeof(SockFprog), "attach the capture filter");
            }
            // struct tpacket_req3: block size, block count, frame size, frame count, retire timeout, priv size, features
            uint* req = stackalloc uint[7] { (uint)blockSize, (uint)blocks, (uint)frame, (uint)(blockSize / frame * blocks), RetireMilliseconds, 0, 0 };
            Set(fd, SOL_PACKET, PACKET_RX_RING, req, 28, "set up the capture ring");
            ring = mmap(0, (nuint)blockSize * (nuint)blocks, 0x1 | 0x2, 0x1, fd, 0); // PROT_READ|PROT_WRITE, MAP_SHARED
            if (ring == -1)
                throw NetNsException.FromErrno("map the capture ring", Errno.Last, ObjectKind.Link, null);
            byte* sll = stackalloc byte[SockaddrLlSize];
            new Span<byte>(sll, SockaddrLlSize).Clear();
            *(ushort*)sll = AF_PACKET;
            *(ushort*)(sll + 2) = (ushort)((ETH_P_ALL << 8) | (ETH_P_ALL >> 8)); // htons
            *(int*)(sll + 4) = ifIndex;
            if (Libc.bind(fd, sll, SockaddrLlSize) != 0)
                throw NetNsException.FromErrno("bind packet socket", Errno.Last, ObjectKind.Link, null);
            return (handle, ring);
        }
        catch
        {
            if (ring != -1)
                munmap(ring, (nuint)blockSize * (nuint)blocks);
            handle.Dispose();
            throw;
        }
    }

    private static void Set(int fd, int level, int name, void* value, uint size, string what)
    {
        if (Libc.setsockopt(fd, level, name, value, size) != 0)
            throw NetNsException.FromErrno(what, Errno.Last, ObjectKind.Link, null);
    }

    private uint* Status(int block) => (uint*)(_ring + (nuint)block * (nuint)_blockSize + 8);

    /// <summary>
    /// Gives the block read last back to the kernel and takes the next one it has handed over, waiting at most the poll
    /// interval (with <paramref name="dontWait"/> not at all). Returns how many packets it holds (0: none came); read
    /// each with <see cref="Packet"/> before the next call.
    /// </summary>
    public int ReceiveBatch(bool dontWait)
    {
        if (_held is not null)
        {
            Volatile.Write(ref *(uint*)(_held + 8), 0u); // TP_STATUS_KERNEL: the block is the kernel's again
            _held = null;
            _current = (_current + 1) % _blocks;
        }
        if ((Volatile.Read(ref *Status(_current)) & TP_STATUS_USER) == 0)
        {
            if (dontWait)
                return 0;
            bool added = false;
            try
            {
                _fd.DangerousAddRef(ref added);
                long pfd = (uint)_fd.Value | ((long)(Libc.POLLIN | 0x8) << 32); // struct pollfd { fd, POLLIN|POLLERR, 0 }
                int n = Libc.poll(&pfd, 1, _pollMs);
                if (n < 0 && Errno.Last != Errno.EINTR)
                    throw NetNsException.FromErrno("wait for packets", Errno.Last, ObjectKind.Link, null);
            }
            finally
            {
                if (added)
                    _fd.DangerousRelease();
            }
            if ((Volatile.Read(ref *Status(_current)) & TP_STATUS_USER) == 0)
                return 0;
        }
        byte* block = _ring + (nuint)_current * (nuint)_blockSize;
        _held = block;
        int count = (int)*(uint*)(block + 12);
        if (_offsets.Length < count)
            _offsets = new int[Math.Max(count, _offsets.Length * 2)];
        int offset = (int)*(uint*)(block + 16);
        for (int i = 0; i < count; i++)
        {
            _offsets[i] = offset;
            offset += (int)*(uint*)(block + offset); // tp_next_offset
        }
        return count;
    }

    /// <summary>Packet <paramref name="i"/> of the block held: a view of the ring, valid until the next batch.</summary>
    public ReadOnlySpan<byte> Packet(int i, out int ifIndex, out byte packetType, out ushort haType, out int originalLength, out long timestampNs)
    {
        byte* h = _held + _offsets[i];
        byte* sll = h + HeaderSize;
        ifIndex = *(int*)(sll + 4);
        haType = *(ushort*)(sll + 8);
        packetType = sll[10];
        timestampNs = *(uint*)(h + 4) * 1_000_000_000L + *(uint*)(h + 8);
        originalLength = (int)*(uint*)(h + 16);
        int snap = (int)*(uint*)(h + 12);
        ushort mac = *(ushort*)(h + 24);
        return new ReadOnlySpan<byte>(h + mac, snap);
    }

    /// <summary>How many packets the kernel dropped (ring full) since the last call (PACKET_STATISTICS resets on read).</summary>
    public long TakeDrops()
    {
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            uint* stats = stackalloc uint[3]; // struct tpacket_stats_v3
            uint size = 12;
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

    /// <summary>Unmaps the ring and closes the socket (only its reader calls this, after its last batch).</summary>
    public void Dispose()
    {
        if (_fd.IsClosed)
            return;
        munmap((nint)_ring, _ringSize);
        _fd.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(nint addr, nuint length);
}
