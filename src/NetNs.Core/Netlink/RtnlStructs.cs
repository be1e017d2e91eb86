using System.Runtime.InteropServices;

namespace NetNs.Core.Netlink;

/// <summary>struct ifinfomsg (linux/rtnetlink.h), 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfInfoMsg
{
    public byte Family;
    public byte Pad;
    public ushort Type;
    public int Index;
    public uint Flags;
    public uint Change;

    public const int Size = 16;

    public static IfInfoMsg Read(ReadOnlySpan<byte> p) =>
        p.Length >= Size ? MemoryMarshal.Read<IfInfoMsg>(p) : throw NetlinkDecode.Error("ifinfomsg too short");
}

/// <summary>struct ifaddrmsg (linux/if_addr.h), 8 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfAddrMsg
{
    public byte Family;
    public byte PrefixLen;
    public byte Flags;
    public byte Scope;
    public int Index;

    public const int Size = 8;

    public static IfAddrMsg Read(ReadOnlySpan<byte> p) =>
        p.Length >= Size ? MemoryMarshal.Read<IfAddrMsg>(p) : throw NetlinkDecode.Error("ifaddrmsg too short");
}

/// <summary>struct rtmsg (linux/rtnetlink.h), 12 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RtMsg
{
    public byte Family;
    public byte DstLen;
    public byte SrcLen;
    public byte Tos;
    public byte Table;
    public byte Protocol;
    public byte Scope;
    public byte Type;
    public uint Flags;

    public const int Size = 12;

    public static RtMsg Read(ReadOnlySpan<byte> p) =>
        p.Length >= Size ? MemoryMarshal.Read<RtMsg>(p) : throw NetlinkDecode.Error("rtmsg too short");
}

/// <summary>struct ndmsg (linux/neighbour.h), 12 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NdMsg
{
    public byte Family;
    public byte Pad1;
    public ushort Pad2;
    public int Index;
    public ushort State;
    public byte Flags;
    public byte Type;

    public const int Size = 12;

    /// <summary>NDA_DST: the neighbour's address.</summary>
    public const ushort AttrDestination = 1;

    /// <summary>NUD_NOARP | NUD_PERMANENT: entries the kernel keeps by itself or a user set, not learnt.</summary>
    public const ushort StaticStates = 0x40 | 0x80;

    public static NdMsg Read(ReadOnlySpan<byte> p) =>
        p.Length >= Size ? MemoryMarshal.Read<NdMsg>(p) : throw NetlinkDecode.Error("ndmsg too short");
}

/// <summary>struct rtgenmsg (linux/rtnetlink.h): one family byte, padded to 4 on the wire.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RtGenMsg
{
    public byte Family;
}
