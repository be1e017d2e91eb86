using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace NetNs.Core.Netlink;

/// <summary>
/// Builds one netlink request: header, fixed family header, then attributes, with nested scopes whose
/// length is filled in when the scope is disposed.
/// </summary>
internal sealed class MessageWriter
{
    private byte[] _buf = new byte[256];
    private int _len;

    public MessageWriter(MessageType type, NetlinkFlags flags)
    {
        Type = type;
        Flags = flags;
        _len = NetlinkHeader.Size;
    }

    public MessageType Type { get; }

    public NetlinkFlags Flags { get; set; }

    public int Length => _len;

    /// <summary>Appends a fixed family header (ifinfomsg, ifaddrmsg, rtmsg …) padded to 4 bytes.</summary>
    public void Struct<T>(in T value) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value));
        Append(bytes, Align.Message(bytes.Length));
    }

    public void Bytes(ushort type, ReadOnlySpan<byte> value)
    {
        int len = Align.AttributeHeaderLength + value.Length;
        if (len > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(value), "netlink attribute too long");
        Span<byte> hdr = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(hdr, (ushort)len);
        BinaryPrimitives.WriteUInt16LittleEndian(hdr[2..], type);
        Append(hdr, 4);
        Append(value, Align.Attribute(value.Length));
    }

    public void U8(ushort type, byte value) => Bytes(type, [value]);

    public void U16(ushort type, ushort value)
    {
        Span<byte> v = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(v, value);
        Bytes(type, v);
    }

    public void U32(ushort type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(v, value);
        Bytes(type, v);
    }

    public void S32(ushort type, int value) => U32(type, unchecked((uint)value));

    /// <summary>A NUL-terminated string (NLA_NUL_STRING / IFNAMSIZ names).</summary>
    public void String(ushort type, string value)
    {
        int n = Encoding.UTF8.GetByteCount(value);
        Span<byte> v = n < 256 ? stackalloc byte[n + 1] : new byte[n + 1];
        Encoding.UTF8.GetBytes(value, v);
        v[n] = 0;
        Bytes(type, v);
    }

    /// <summary>Opens a nested attribute; its length is written when the scope is disposed.</summary>
    public Scope Nested(ushort type)
    {
        int start = _len;
        Span<byte> hdr = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(hdr[2..], type);
        Append(hdr, 4);
        return new Scope(this, start);
    }

    /// <summary>Writes the header with the final length, sequence and port id; returns the message bytes.</summary>
    public ReadOnlySpan<byte> Finish(uint sequence, uint portId = 0)
    {
        new NetlinkHeader((uint)_len, Type, Flags, sequence, portId).Write(_buf);
        return _buf.AsSpan(0, _len);
    }

    private void Append(ReadOnlySpan<byte> data, int padded)
    {
        if (_len + padded > _buf.Length)
            Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + padded));
        data.CopyTo(_buf.AsSpan(_len));
        _buf.AsSpan(_len + data.Length, padded - data.Length).Clear();
        _len += padded;
    }

    /// <summary>A nested attribute being written.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly MessageWriter _w;
        private readonly int _start;

        internal Scope(MessageWriter w, int start)
        {
            _w = w;
            _start = start;
        }

        public void Dispose()
        {
            int len = _w._len - _start;
            if (len > ushort.MaxValue)
                throw new InvalidOperationException("nested netlink attribute too long");
            BinaryPrimitives.WriteUInt16LittleEndian(_w._buf.AsSpan(_start), (ushort)len);
        }
    }
}
