using System.Buffers.Binary;

namespace NetNs.Core.Netlink;

/// <summary>struct nlmsghdr (16 bytes, host byte order).</summary>
internal readonly record struct NetlinkHeader(uint Length, MessageType Type, NetlinkFlags Flags, uint Sequence, uint PortId)
{
    public const int Size = 16;

    public void Write(Span<byte> dest)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(dest, Length);
        BinaryPrimitives.WriteUInt16LittleEndian(dest[4..], (ushort)Type);
        BinaryPrimitives.WriteUInt16LittleEndian(dest[6..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[8..], Sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[12..], PortId);
    }

    public static NetlinkHeader Read(ReadOnlySpan<byte> src)
    {
        if (src.Length < Size)
            throw NetlinkDecode.Error($"netlink header needs {Size} bytes, got {src.Length}");
        return new NetlinkHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(src),
            (MessageType)BinaryPrimitives.ReadUInt16LittleEndian(src[4..]),
            (NetlinkFlags)BinaryPrimitives.ReadUInt16LittleEndian(src[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(src[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(src[12..]));
    }
}

/// <summary>Decode failures: always a <see cref="NetNsException"/> with reason MalformedReply.</summary>
internal static class NetlinkDecode
{
    public static NetNsException Error(string why) =>
        new(NetNsErrorReason.MalformedReply, "decode netlink reply", "malformed netlink reply: " + why);
}
