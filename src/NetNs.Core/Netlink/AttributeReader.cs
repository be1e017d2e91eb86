using System.Buffers.Binary;
using System.Text;

namespace NetNs.Core.Netlink;

/// <summary>
/// Walks a run of netlink attributes (struct rtattr / nlattr: u16 len, u16 type, value, padding to 4).
/// A length that does not fit is a decode error, never an out-of-range read.
/// </summary>
internal ref struct AttributeReader
{
    /// <summary>NLA_F_NESTED | NLA_F_NET_BYTEORDER, masked off the type (linux/netlink.h NLA_TYPE_MASK).</summary>
    private const ushort TypeMask = 0x3fff;

    private ReadOnlySpan<byte> _rest;

    public AttributeReader(ReadOnlySpan<byte> attributes) => _rest = attributes;

    public bool Next(out ushort type, out ReadOnlySpan<byte> value)
    {
        // RTA_OK(rta, len): len >= sizeof(struct rtattr) && rta_len >= sizeof(struct rtattr) && rta_len <= len
        if (_rest.Length < Align.AttributeHeaderLength)
        {
            type = 0;
            value = default;
            return false;
        }
        int len = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (len < Align.AttributeHeaderLength || len > _rest.Length)
            throw NetlinkDecode.Error($"attribute length {len} outside 4..{_rest.Length}");
        type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & TypeMask);
        value = _rest[Align.AttributeHeaderLength..len];
        _rest = _rest[Math.Min(Align.Attribute(len), _rest.Length)..];
        return true;
    }

    // Scalars are strict: a value of another size is a malformed reply, not its first bytes (mdlayher/netlink's
    // AttributeDecoder does the same).
    public static uint U32(ReadOnlySpan<byte> v) =>
        v.Length == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(v) : throw NetlinkDecode.Error($"u32 attribute of {v.Length} bytes");

    public static int S32(ReadOnlySpan<byte> v) => unchecked((int)U32(v));

    public static ushort U16(ReadOnlySpan<byte> v) =>
        v.Length == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(v) : throw NetlinkDecode.Error($"u16 attribute of {v.Length} bytes");

    public static byte U8(ReadOnlySpan<byte> v) =>
        v.Length == 1 ? v[0] : throw NetlinkDecode.Error($"u8 attribute of {v.Length} bytes");

    /// <summary>A NUL-terminated string attribute (a missing terminator is tolerated).</summary>
    public static string String(ReadOnlySpan<byte> v)
    {
        int nul = v.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? v[..nul] : v);
    }
}
