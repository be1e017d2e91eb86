using System.Runtime.InteropServices;

namespace NetNs.Core;

/// <summary>
/// The AF_PACKET pieces of the kernel ABI a capture needs (linux/if_packet.h, linux/filter.h, bits/socket.h on x86-64
/// and arm64): constants, recvmsg(2) and getsockopt(2). Layouts are the LP64 ones.
/// </summary>
internal static unsafe partial class PacketInterop
{
    private const string Lib = "libc";

    public const int AF_PACKET = 17;
    public const ushort ETH_P_ALL = 0x0003;
    public const int SOL_PACKET = 263;
    public const int PACKET_STATISTICS = 6;
    public const int PACKET_AUXDATA = 8;
    public const int SO_RCVBUF = 8;
    public const int SO_RCVBUFFORCE = 33;
    public const int SO_ATTACH_FILTER = 26;
    public const int SO_TIMESTAMPNS = 35; // SO_TIMESTAMPNS_OLD; the control message type is the same number
    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_WAITFORONE = 0x10000;
    public const int MSG_TRUNC = 0x20;

    /// <summary>sll_pkttype values (linux/if_packet.h).</summary>
    public const byte PACKET_HOST = 0, PACKET_BROADCAST = 1, PACKET_MULTICAST = 2, PACKET_OTHERHOST = 3, PACKET_OUTGOING = 4;

    /// <summary>sizeof(struct sockaddr_ll).</summary>
    public const int SockaddrLlSize = 20;

    /// <summary>struct msghdr (56 bytes on LP64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLen;
        public void* Iov;
        public nuint IovLen;
        public void* Control;
        public nuint ControlLen;
        public int Flags;
    }

    /// <summary>struct mmsghdr (64 bytes on LP64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Len;
    }

    /// <summary>struct sock_fprog (the filter program SO_ATTACH_FILTER takes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockFprog
    {
        public ushort Len;
        public void* Filter;
    }

    /// <summary>struct tpacket_auxdata (the PACKET_AUXDATA control message).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct AuxData
    {
        public uint Status;
        public uint Len;
        public uint SnapLen;
        public ushort Mac;
        public ushort Net;
        public ushort VlanTci;
        public ushort VlanTpid;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint recvmsg(int sockfd, MsgHdr* msg, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int recvmmsg(int sockfd, MMsgHdr* msgvec, uint vlen, int flags, void* timeout);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getsockopt(int sockfd, int level, int optname, void* optval, uint* optlen);
}
