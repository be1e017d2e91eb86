using System.Net;

namespace NetNs.Core;

/// <summary>What a <see cref="NetNsPacket"/> carries, at the highest layer NetNs decodes.</summary>
public enum NetNsPacketProtocol
{
    /// <summary>Not IP and not ARP (LLDP, STP, an unknown EtherType), or too short to tell.</summary>
    Other,
    /// <summary>ARP (Source and Destination are the sender's and the target's IPv4 addresses).</summary>
    Arp,
    /// <summary>IPv4 or IPv6 carrying something NetNs does not decode further (GRE, SCTP, …).</summary>
    Ip,
    /// <summary>ICMP (IPv4).</summary>
    Icmp,
    /// <summary>ICMPv6 (echo, neighbour discovery, MLD…).</summary>
    Icmpv6,
    /// <summary>TCP.</summary>
    Tcp,
    /// <summary>UDP.</summary>
    Udp,
}

/// <summary>
/// One captured packet, decoded: where and when it was seen, which way, its addresses, ports and a one-line summary
/// like tcpdump's (`tcpdump -n` without the timestamp). The raw bytes are in <see cref="Data"/>.
/// </summary>
public sealed class NetNsPacket
{
    /// <summary>When the kernel saw it (local time; the nanoseconds are in <see cref="TimestampNs"/>).</summary>
    public DateTime Time { get; init; }

    /// <summary>Nanoseconds since the Unix epoch.</summary>
    public long TimestampNs { get; init; }

    /// <summary>The namespace it was captured in; null for the process's own.</summary>
    public string? Namespace { get; init; }

    /// <summary>The interface it went through.</summary>
    public string InterfaceAlias { get; init; } = "";

    /// <summary>In (received by the interface) or Out (sent by it).</summary>
    public PacketDirection Direction { get; init; }

    /// <summary>Tcp, Udp, Icmp, Icmpv6, Arp, Ip or Other.</summary>
    public NetNsPacketProtocol Protocol { get; init; }

    /// <summary>The IP source address (ARP: the sender's); null when there is none.</summary>
    public IPAddress? Source { get; init; }

    /// <summary>The IP destination address (ARP: the target's); null when there is none.</summary>
    public IPAddress? Destination { get; init; }

    /// <summary>The TCP or UDP source port.</summary>
    public int? SourcePort { get; init; }

    /// <summary>The TCP or UDP destination port.</summary>
    public int? DestinationPort { get; init; }

    /// <summary>The length on the wire, link-layer header included.</summary>
    public int Length { get; init; }

    /// <summary>The TCP flags as tcpdump writes them: S, S., ., P., F., R… (null for other protocols).</summary>
    public string? TcpFlags { get; init; }

    /// <summary>The TCP sequence number.</summary>
    public uint? Sequence { get; init; }

    /// <summary>The TCP or UDP payload length (ICMP: the message length).</summary>
    public int? PayloadLength { get; init; }

    /// <summary>A line like tcpdump's: "IP 198.18.0.1.40000 > 198.18.0.2.80: Flags [S], seq 1, win 64240, length 0".</summary>
    public string Summary { get; init; } = "";

    /// <summary>The captured bytes (up to the capture's snap length), link-layer header included.</summary>
    public byte[] Data { get; init; } = [];

    /// <inheritdoc/>
    public override string ToString() => Summary;
}
