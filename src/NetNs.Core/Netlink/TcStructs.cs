using System.Runtime.InteropServices;

namespace NetNs.Core.Netlink;

/// <summary>struct tcmsg (linux/rtnetlink.h), 20 bytes: the family header of RTM_*QDISC messages.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TcMsg
{
    public byte Family;
    public byte Pad1;
    public ushort Pad2;
    public int Index;
    public uint Handle;
    public uint Parent;
    public uint Info;

    public const int Size = 20;

    /// <summary>TC_H_ROOT: the parent of a link's root qdisc.</summary>
    public const uint Root = 0xFFFFFFFF;

    public static TcMsg Read(ReadOnlySpan<byte> p) =>
        p.Length >= Size ? MemoryMarshal.Read<TcMsg>(p) : throw NetlinkDecode.Error("tcmsg too short");
}

/// <summary>TCA_* attributes (linux/rtnetlink.h, linux/pkt_sched.h) NetNs sends or reads.</summary>
internal static class Tca
{
    public const ushort Kind = 1;
    public const ushort Options = 2;

    /// <summary>TCA_TBF_* inside TCA_OPTIONS of a tbf.</summary>
    public const ushort TbfParms = 1;
    public const ushort TbfRtab = 2;
    public const ushort TbfBurst = 6;
    public const ushort TbfRate64 = 4;

    /// <summary>TCA_NETEM_* after the raw tc_netem_qopt inside TCA_OPTIONS of a netem.</summary>
    public const ushort NetemCorr = 1;
    public const ushort NetemReorder = 3;
    public const ushort NetemCorrupt = 4;
    public const ushort NetemRate = 6;
    public const ushort NetemRate64 = 8;
    public const ushort NetemLatency64 = 10;
    public const ushort NetemJitter64 = 11;

    /// <summary>TC_LINKLAYER_ETHERNET in tc_ratespec.linklayer.</summary>
    public const byte LinkLayerEthernet = 1;
}

/// <summary>struct tc_ratespec (linux/pkt_sched.h), 12 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TcRateSpec
{
    public byte CellLog;
    public byte LinkLayer;
    public ushort Overhead;
    public short CellAlign;
    public ushort Mpu;
    public uint Rate;
}

/// <summary>struct tc_tbf_qopt (linux/pkt_sched.h), 36 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TcTbfQopt
{
    public TcRateSpec Rate;
    public TcRateSpec PeakRate;
    public uint Limit;
    public uint Buffer;
    public uint Mtu;

    public const int Size = 36;

    public static TcTbfQopt Read(ReadOnlySpan<byte> p) =>
        p.Length >= Size ? MemoryMarshal.Read<TcTbfQopt>(p) : throw NetlinkDecode.Error("tc_tbf_qopt too short");
}

/// <summary>struct tc_netem_qopt (linux/pkt_sched.h), 24 bytes; latency and jitter in psched ticks.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TcNetemQopt
{
    public uint Latency;
    public uint Limit;
    public uint Loss;
    public uint Gap;
    public uint Duplicate;
    public uint Jitter;

    public const int Size = 24;

    public static TcNetemQopt Read(ReadOnlySpan<byte> p) =>
        p.Length >= Size ? MemoryMarshal.Read<TcNetemQopt>(p) : throw NetlinkDecode.Error("tc_netem_qopt too short");
}

/// <summary>struct tc_netem_reorder / tc_netem_corrupt (linux/pkt_sched.h): probability and correlation, 8 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TcNetemProbability
{
    public uint Probability;
    public uint Correlation;
}

/// <summary>struct tc_netem_rate (linux/pkt_sched.h), 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TcNetemRate
{
    public uint Rate;
    public int PacketOverhead;
    public uint CellSize;
    public int CellOverhead;
}
