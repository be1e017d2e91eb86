namespace NetNs.Core;

/// <summary>Which way a captured packet went through its interface.</summary>
public enum PacketDirection
{
    /// <summary>Received by the interface (sll_pkttype host, broadcast, multicast or other host).</summary>
    In,
    /// <summary>Sent by the interface (sll_pkttype PACKET_OUTGOING).</summary>
    Out,
}

/// <summary>One frame as it came from the kernel (or a file): where, when, which way, and its bytes (up to the snap length).</summary>
internal sealed class CapturedFrame
{
    /// <summary>The namespace it was captured in (null: the process's own).</summary>
    public required string? Namespace { get; init; }

    /// <summary>The interface's name.</summary>
    public required string InterfaceAlias { get; init; }

    /// <summary>Nanoseconds since the Unix epoch (the kernel's receive timestamp, SO_TIMESTAMPNS).</summary>
    public required long TimestampNs { get; init; }

    /// <summary>In or Out.</summary>
    public required PacketDirection Direction { get; init; }

    /// <summary>sll_pkttype (PACKET_HOST, BROADCAST, MULTICAST, OTHERHOST, OUTGOING); 0 when unknown.</summary>
    public byte PacketType { get; init; }

    /// <summary>The pcap link type of <see cref="Data"/> (1 Ethernet, 101 raw IP).</summary>
    public int LinkType { get; init; } = 1;

    /// <summary>The length on the wire.</summary>
    public required int OriginalLength { get; init; }

    /// <summary>The captured bytes (at most the snap length).</summary>
    public required byte[] Data { get; init; }
}
