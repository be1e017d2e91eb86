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

/// <summary>struct rtgenmsg (linux/rtnetlink.h): one family byte, padded to 4 on the wire.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RtGenMsg
{
    public byte Family;
}
