using System.Buffers.Binary;
using System.Text;

namespace NetNs.Core;

/// <summary>
/// Writes pcapng (draft-ietf-opsawg-pcapng; libpcap cannot write it): one Section Header Block, one Interface
/// Description Block per namespace:interface (if_name "ns:if", if_tsresol 9: nanosecond timestamps), an Enhanced Packet
/// Block per packet (epb_flags carry the direction), and at the end an Interface Statistics Block per interface with the
/// packets the kernel dropped (isb_ifdrop). Little-endian, as the machine is. Not thread-safe: the capture serializes.
/// </summary>
internal sealed class PcapngWriter : IDisposable
{
    private const uint Shb = 0x0A0D0D0A, Idb = 1, Isb = 5, Epb = 6;
    private readonly Stream _stream;
    private readonly Dictionary<(string? Ns, string If), int> _interfaces = [];
    private readonly int _snapLength;
    private byte[] _block = new byte[4096];

    public PcapngWriter(Stream stream, int snapLength, string application)
    {
        _stream = stream;
        _snapLength = snapLength;
        Ensure(24);
        PutU32(8, 0x1A2B3C4D); // byte-order magic
        PutU16(12, 1); // version 1.0
        PutU16(14, 0);
        BinaryPrimitives.WriteInt64LittleEndian(_block.AsSpan(16), -1); // section length unknown
        int n = Option(24, 4, Encoding.UTF8.GetBytes(application)); // shb_userappl
        n = EndOfOptions(n);
        Finish(Shb, n);
    }

    /// <summary>The names of the interfaces described so far, by pcapng interface id.</summary>
    public IReadOnlyDictionary<(string? Ns, string If), int> Interfaces => _interfaces;

    /// <summary>The "ns:if" name an interface gets in the file (just "if" for the process's own namespace).</summary>
    public static string InterfaceName(string? ns, string ifName) => ns is null ? ifName : ns + ":" + ifName;

    /// <summary>The interface id for (ns, if), writing its Interface Description Block the first time.</summary>
    public int Interface(string? ns, string ifName, int linkType)
    {
        if (_interfaces.TryGetValue((ns, ifName), out int id))
            return id;
        id = _interfaces.Count;
        _interfaces[(ns, ifName)] = id;
        Ensure(16);
        PutU16(8, (ushort)linkType);
        PutU16(10, 0);
        PutU32(12, (uint)_snapLength);
        int n = Option(16, 2, Encoding.UTF8.GetBytes(InterfaceName(ns, ifName))); // if_name
        n = Option(n, 9, [9]); // if_tsresol: 10^-9 s
        n = EndOfOptions(n);
        Finish(Idb, n);
        return id;
    }

    /// <summary>One Enhanced Packet Block.</summary>
    public void Packet(int interfaceId, long timestampNs, int originalLength, ReadOnlySpan<byte> data, PacketDirection direction, byte packetType)
    {
        Ensure(28 + data.Length + 3 + 16 + 4);
        PutU32(8, (uint)interfaceId);
        PutU32(12, (uint)((ulong)timestampNs >> 32));
        PutU32(16, (uint)timestampNs);
        PutU32(20, (uint)data.Length);
        PutU32(24, (uint)originalLength);
        data.CopyTo(_block.AsSpan(28));
        int n = 28 + Pad(data.Length);
        _block.AsSpan(28 + data.Length, n - 28 - data.Length).Clear();
        uint reception = packetType switch
        {
            PacketInterop.PACKET_HOST or PacketInterop.PACKET_OUTGOING => 1,
            PacketInterop.PACKET_MULTICAST => 2,
            PacketInterop.PACKET_BROADCAST => 3,
            PacketInterop.PACKET_OTHERHOST => 4,
            _ => 0,
        };
        uint flags = (direction == PacketDirection.Out ? 2u : 1u) | (reception << 2);
        Span<byte> f = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(f, flags);
        n = Option(n, 2, f); // epb_flags
        n = EndOfOptions(n);
        Finish(Epb, n);
    }

    /// <summary>An Interface Statistics Block: packets received (isb_ifrecv) and dropped by the kernel (isb_ifdrop).</summary>
    public void Statistics(int interfaceId, long timestampNs, long? kernelDrops, long received)
    {
        Ensure(20);
        PutU32(8, (uint)interfaceId);
        PutU32(12, (uint)((ulong)timestampNs >> 32));
        PutU32(16, (uint)timestampNs);
        int n = 20;
        Span<byte> v = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(v, received);
        n = Option(n, 4, v); // isb_ifrecv
        if (kernelDrops is { } drops)
        {
            BinaryPrimitives.WriteInt64LittleEndian(v, drops);
            n = Option(n, 5, v); // isb_ifdrop (known per interface only when the socket was bound to it)
        }
        n = EndOfOptions(n);
        Finish(Isb, n);
    }

    public void Flush() => _stream.Flush();

    public void Dispose() => _stream.Dispose();

    private static int Pad(int length) => (length + 3) & ~3;

    private void Ensure(int need)
    {
        if (_block.Length < need + 256)
            Array.Resize(ref _block, need + 256);
    }

    private int Option(int n, ushort code, ReadOnlySpan<byte> value)
    {
        int need = n + 4 + Pad(value.Length) + 8;
        if (_block.Length < need)
            Array.Resize(ref _block, need + 256);
        PutU16(n, code);
        PutU16(n + 2, (ushort)value.Length);
        value.CopyTo(_block.AsSpan(n + 4));
        _block.AsSpan(n + 4 + value.Length, Pad(value.Length) - value.Length).Clear();
        return n + 4 + Pad(value.Length);
    }

    private int EndOfOptions(int n)
    {
        PutU32(n, 0); // opt_endofopt
        return n + 4;
    }

    private void Finish(uint type, int n)
    {
        int total = n + 4;
        PutU32(0, type);
        PutU32(4, (uint)total);
        PutU32(n, (uint)total);
        _stream.Write(_block, 0, total);
    }

    private void PutU16(int at, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(_block.AsSpan(at), value);

    private void PutU32(int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_block.AsSpan(at), value);
}
