using System.Buffers.Binary;
using System.Net.Sockets;

namespace NetNs.Core;

/// <summary>
/// ICMP and ICMPv6 echo messages (RFC 792, RFC 4443): an 8-byte header (type, code, checksum, identifier,
/// sequence) and a payload. IPv4 raw sockets hand back the IP header first; IPv6 raw sockets do not, and the
/// kernel fills in the ICMPv6 checksum itself (RFC 3542 §3.1).
/// </summary>
internal static class IcmpEcho
{
    public const int HeaderLength = 8;
    private const byte EchoRequestV4 = 8, EchoReplyV4 = 0, EchoRequestV6 = 128, EchoReplyV6 = 129;

    /// <summary>An echo request with a recognisable payload of <paramref name="payloadLength"/> bytes.</summary>
    public static byte[] Request(AddressFamily family, ushort identifier, ushort sequence, int payloadLength = 32)
    {
        var packet = new byte[HeaderLength + payloadLength];
        packet[0] = family == AddressFamily.InterNetworkV6 ? EchoRequestV6 : EchoRequestV4;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), identifier);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), sequence);
        for (int i = 0; i < payloadLength; i++)
            packet[HeaderLength + i] = (byte)('a' + (i % 23));
        if (family == AddressFamily.InterNetwork)
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), Checksum(packet));
        return packet;
    }

    /// <summary>
    /// Whether <paramref name="received"/> (as read from the raw socket) is the echo reply to (identifier, sequence).
    /// Anything else — other ICMP traffic the raw socket sees, truncated or malformed packets — is not.
    /// </summary>
    public static bool IsReply(AddressFamily family, ReadOnlySpan<byte> received, ushort identifier, ushort sequence)
    {
        var icmp = received;
        if (family == AddressFamily.InterNetwork)
        {
            if (icmp.Length < 20 || icmp[0] >> 4 != 4)
                return false;
            int ihl = (icmp[0] & 0x0f) * 4;
            if (ihl < 20 || icmp.Length < ihl)
                return false;
            icmp = icmp[ihl..];
        }
        if (icmp.Length < HeaderLength)
            return false;
        byte reply = family == AddressFamily.InterNetworkV6 ? EchoReplyV6 : EchoReplyV4;
        return icmp[0] == reply && icmp[1] == 0
            && BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]) == identifier
            && BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]) == sequence;
    }

    /// <summary>The Internet checksum (RFC 1071) of a message whose checksum field is zero.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length)
            sum += (uint)(data[i] << 8);
        while (sum >> 16 != 0)
            sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
