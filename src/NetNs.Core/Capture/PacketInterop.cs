using System.Runtime.InteropServices;

namespace NetNs.Core;

/// <summary>
/// The AF_PACKET pieces of the kernel ABI a capture needs (linux/if_packet.h, linux/filter.h, bits/socket.h on x86-64
/// and arm64): constants, getsockopt(2). Layouts are the LP64 ones.
/// </summary>
internal static unsafe partial class PacketInterop
{
    private const string Lib = "libc";

    public const int AF_PACKET = 17;
    public const ushort ETH_P_ALL = 0x0003;
    public const int SOL_PACKET = 263;
    public const int PACKET_STATISTICS = 6;
    public const int SO_ATTACH_FILTER = 26;
    public const int SO_TIMESTAMPNS = 35; // SO_TIMESTAMPNS_OLD; the control message type is the same number

    /// <summary>sll_pkttype values (linux/if_packet.h).</summary>
    public const byte PACKET_HOST = 0, PACKET_BROADCAST = 1, PACKET_MULTICAST = 2, PACKET_OTHERHOST = 3, PACKET_OUTGOING = 4;

    /// <summary>sizeof(struct sockaddr_ll).</summary>
    public const int SockaddrLlSize = 20;

    /// <summary>struct sock_fprog (the filter program SO_ATTACH_FILTER takes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockFprog
    {
        public ushort Len;
        public void* Filter;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getsockopt(int sockfd, int level, int optname, void* optval, uint* optlen);
}
