using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace NetNs.Core;

/// <summary>The transport layer of a decoded packet (TCP, UDP, ICMP, ICMPv6) and its tcpdump-like line.</summary>
internal static class TransportSummary
{
    private const int Icmp = 1, Tcp = 6, Udp = 17, Icmpv6 = 58;

    public static void Describe(string family, int next, ReadOnlySpan<byte> l4, int l4Length, ref NetNsPacketProtocol protocol,
        IPAddress source, IPAddress destination, out int? sourcePort, out int? destinationPort, out int? payloadLength,
        out string? tcpFlags, out uint? sequence, out string summary)
    {
        sourcePort = destinationPort = payloadLength = null;
        tcpFlags = null;
        sequence = null;
        switch (next)
        {
            case Tcp when l4.Length >= 20:
            {
                protocol = NetNsPacketProtocol.Tcp;
                sourcePort = BinaryPrimitives.ReadUInt16BigEndian(l4);
                destinationPort = BinaryPrimitives.ReadUInt16BigEndian(l4[2..]);
                uint seq = BinaryPrimitives.ReadUInt32BigEndian(l4[4..]), ack = BinaryPrimitives.ReadUInt32BigEndian(l4[8..]);
                int offset = (l4[12] >> 4) * 4;
                byte flags = l4[13];
                ushort window = BinaryPrimitives.ReadUInt16BigEndian(l4[14..]);
                int payload = Math.Max(0, l4Length - offset);
                sequence = seq;
                payloadLength = payload;
                tcpFlags = Flags(flags);
                var s = new StringBuilder($"{family} {Endpoint(source, sourcePort)} > {Endpoint(destination, destinationPort)}: Flags [{tcpFlags}]");
                if (payload > 0)
                    s.Append($", seq {seq}:{seq + (uint)payload}");
                else if ((flags & 0x07) != 0) // SYN, FIN or RST: they carry a sequence number that matters
                    s.Append($", seq {seq}");
                if ((flags & 0x10) != 0)
                    s.Append($", ack {ack}");
                s.Append($", win {window}, length {payload}");
                summary = s.ToString();
                return;
            }
            case Udp when l4.Length >= 8:
            {
                protocol = NetNsPacketProtocol.Udp;
                sourcePort = BinaryPrimitives.ReadUInt16BigEndian(l4);
                destinationPort = BinaryPrimitives.ReadUInt16BigEndian(l4[2..]);
                payloadLength = Math.Max(0, BinaryPrimitives.ReadUInt16BigEndian(l4[4..]) - 8);
                summary = $"{family} {Endpoint(source, sourcePort)} > {Endpoint(destination, destinationPort)}: UDP, length {payloadLength}";
                return;
            }
            case Icmp when l4.Length >= 4:
                protocol = NetNsPacketProtocol.Icmp;
                payloadLength = l4Length;
                summary = $"{family} {source} > {destination}: ICMP {IcmpText(l4)}, length {l4Length}";
                return;
            case Icmpv6 when l4.Length >= 4:
                protocol = NetNsPacketProtocol.Icmpv6;
                payloadLength = l4Length;
                summary = $"{family} {source} > {destination}: ICMP6, {Icmpv6Text(l4)}, length {l4Length}";
                return;
            default:
                summary = next switch
                {
                    Tcp or Udp or Icmp or Icmpv6 => $"{family} {source} > {destination}: [|{Name(next)}]",
                    _ => $"{family} {source} > {destination}: {Name(next)}, length {l4Length}",
                };
                return;
        }
    }

    // tcpdump's order (print-tcp.c tcp_flag_values): FIN SYN RST PUSH ACK URG ECE CWR, ACK written '.'.
    private static string Flags(byte f)
    {
        var s = new StringBuilder(8);
        if ((f & 0x01) != 0) s.Append('F');
        if ((f & 0x02) != 0) s.Append('S');
        if ((f & 0x04) != 0) s.Append('R');
        if ((f & 0x08) != 0) s.Append('P');
        if ((f & 0x10) != 0) s.Append('.');
        if ((f & 0x20) != 0) s.Append('U');
        if ((f & 0x40) != 0) s.Append('E');
        if ((f & 0x80) != 0) s.Append('W');
        return s.Length == 0 ? "none" : s.ToString();
    }

    private static string Endpoint(IPAddress address, int? port) => $"{address}.{port}";

    private static string IcmpText(ReadOnlySpan<byte> m)
    {
        int type = m[0], code = m[1];
        string echo = m.Length >= 8 ? $", id {BinaryPrimitives.ReadUInt16BigEndian(m[4..])}, seq {BinaryPrimitives.ReadUInt16BigEndian(m[6..])}" : "";
        return type switch
        {
            0 => "echo reply" + echo,
            8 => "echo request" + echo,
            3 => $"destination unreachable, code {code}",
            11 => $"time exceeded, code {code}",
            5 => "redirect",
            _ => $"type {type}, code {code}",
        };
    }

    private static string Icmpv6Text(ReadOnlySpan<byte> m)
    {
        int type = m[0];
        string echo = m.Length >= 8 ? $", id {BinaryPrimitives.ReadUInt16BigEndian(m[4..])}, seq {BinaryPrimitives.ReadUInt16BigEndian(m[6..])}" : "";
        string target = m.Length >= 24 ? new IPAddress(m.Slice(8, 16)).ToString() : "?";
        return type switch
        {
            1 => "destination unreachable",
            3 => "time exceeded",
            128 => "echo request" + echo,
            129 => "echo reply" + echo,
            133 => "router solicitation",
            134 => "router advertisement",
            135 => $"neighbor solicitation, who has {target}",
            136 => $"neighbor advertisement, tgt is {target}",
            143 => "multicast listener report v2",
            _ => $"type {type}",
        };
    }

    private static string Name(int protocol) => protocol switch
    {
        Icmp => "icmp",
        2 => "igmp",
        Tcp => "tcp",
        Udp => "udp",
        47 => "GREv0",
        Icmpv6 => "icmp6",
        132 => "sctp",
        _ => $"ip-proto-{protocol}",
    };
}
