using System.Buffers.Binary;
using System.Net;

namespace NetNs.Core;

/// <summary>
/// Decodes a captured frame: Ethernet (802.1Q tags skipped), ARP, IPv4, IPv6 (extension headers skipped), TCP, UDP, ICMP
/// and ICMPv6, into a <see cref="NetNsPacket"/> with a summary line like `tcpdump -n`'s. Anything cut short by the snap
/// length is decoded as far as it goes and never throws.
/// </summary>
internal static class PacketDecoder
{
    private const int LinkTypeEthernet = 1, LinkTypeRaw = 101;

    public static NetNsPacket Decode(CapturedFrame frame)
    {
        var d = new Decoded();
        try
        {
            var data = frame.Data.AsSpan();
            if (frame.LinkType == LinkTypeRaw)
                Network(data.Length > 0 && data[0] >> 4 == 6 ? (ushort)0x86DD : (ushort)0x0800, data, frame.OriginalLength, ref d);
            else if (frame.LinkType == LinkTypeEthernet)
                Ethernet(data, frame.OriginalLength, ref d);
            else
                d.Summary = $"link type {frame.LinkType}, length {frame.OriginalLength}";
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            d.Summary = (d.Summary ?? "") + " [|truncated]";
        }
        return new NetNsPacket
        {
            TimestampNs = frame.TimestampNs,
            Time = DateTime.UnixEpoch.AddTicks(frame.TimestampNs / 100).ToLocalTime(),
            Namespace = frame.Namespace,
            InterfaceAlias = frame.InterfaceAlias,
            Direction = frame.Direction,
            Protocol = d.Protocol,
            Source = d.Source,
            Destination = d.Destination,
            SourcePort = d.SourcePort,
            DestinationPort = d.DestinationPort,
            Length = frame.OriginalLength,
            TcpFlags = d.TcpFlags,
            Sequence = d.Sequence,
            PayloadLength = d.PayloadLength,
            Summary = d.Summary ?? "",
            Data = frame.Data,
        };
    }

    private struct Decoded
    {
        public NetNsPacketProtocol Protocol;
        public IPAddress? Source, Destination;
        public int? SourcePort, DestinationPort, PayloadLength;
        public string? TcpFlags, Summary;
        public uint? Sequence;
    }

    private static void Ethernet(ReadOnlySpan<byte> data, int wireLength, ref Decoded d)
    {
        if (data.Length < 14)
        {
            d.Summary = $"[|ether] length {wireLength}";
            return;
        }
        int offset = 12;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
        while ((type == 0x8100 || type == 0x88A8) && data.Length >= offset + 6)
        {
            offset += 4;
            type = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
        }
        offset += 2;
        if (type == 0x0806)
            Arp(data[offset..], wireLength, ref d);
        else if (type is 0x0800 or 0x86DD)
            Network(type, data[offset..], wireLength - offset, ref d);
        else
            d.Summary = type < 0x0600 ? $"802.3, length {wireLength}" : $"ethertype 0x{type:x4}, length {wireLength}";
    }

    private static void Arp(ReadOnlySpan<byte> a, int wireLength, ref Decoded d)
    {
        d.Protocol = NetNsPacketProtocol.Arp;
        // Ethernet/IPv4 ARP: htype 1, ptype 0x0800, hlen 6, plen 4.
        if (a.Length < 28 || a[4] != 6 || a[5] != 4)
        {
            d.Summary = $"ARP, length {wireLength - 14}";
            return;
        }
        ushort op = BinaryPrimitives.ReadUInt16BigEndian(a[6..]);
        var senderMac = a.Slice(8, 6);
        d.Source = new IPAddress(a.Slice(14, 4));
        d.Destination = new IPAddress(a.Slice(24, 4));
        d.Summary = op switch
        {
            1 => $"ARP, Request who-has {d.Destination} tell {d.Source}, length 28",
            2 => $"ARP, Reply {d.Source} is-at {Mac(senderMac)}, length 28",
            _ => $"ARP, op {op}, length 28",
        };
    }

    private static void Network(ushort type, ReadOnlySpan<byte> ip, int ipWireLength, ref Decoded d)
    {
        d.Protocol = NetNsPacketProtocol.Ip;
        int next, headerLength, payloadLength;
        string family;
        if (type == 0x0800)
        {
            family = "IP";
            if (ip.Length < 20)
            {
                d.Summary = "IP [|ip]";
                return;
            }
            headerLength = (ip[0] & 0x0f) * 4;
            int total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
            next = ip[9];
            d.Source = new IPAddress(ip.Slice(12, 4));
            d.Destination = new IPAddress(ip.Slice(16, 4));
            payloadLength = total - headerLength;
            ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
            if ((fragment & 0x1fff) != 0)
            {
                d.Summary = $"IP {d.Source} > {d.Destination}: ip-proto-{next} (fragment), length {payloadLength}";
                return;
            }
        }
        else
        {
            family = "IP6";
            if (ip.Length < 40)
            {
                d.Summary = "IP6 [|ip6]";
                return;
            }
            d.Source = new IPAddress(ip.Slice(8, 16));
            d.Destination = new IPAddress(ip.Slice(24, 16));
            payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
            next = ip[6];
            headerLength = 40;
            while (next is 0 or 43 or 44 or 60 or 51 && ip.Length >= headerLength + 8)
            {
                int extension = next == 44 ? 8 : next == 51 ? (ip[headerLength + 1] + 2) * 4 : (ip[headerLength + 1] + 1) * 8;
                if (next == 44 && (BinaryPrimitives.ReadUInt16BigEndian(ip[(headerLength + 2)..]) & 0xfff8) != 0)
                {
                    d.Summary = $"IP6 {d.Source} > {d.Destination}: frag, length {payloadLength}";
                    return;
                }
                next = ip[headerLength];
                headerLength += extension;
                payloadLength -= extension;
            }
        }
        var l4 = ip.Length > headerLength ? ip[headerLength..] : [];
        TransportSummary.Describe(family, next, l4, payloadLength, ref d.Protocol, d.Source!, d.Destination!,
            out d.SourcePort, out d.DestinationPort, out d.PayloadLength, out d.TcpFlags, out d.Sequence, out d.Summary);
    }

    private static string Mac(ReadOnlySpan<byte> mac) => Convert.ToHexString(mac).ToLowerInvariant() is var h
        ? string.Join(':', Enumerable.Range(0, mac.Length).Select(i => h.Substring(i * 2, 2)))
        : "";
}
