using System.Buffers.Binary;
using System.Text;

namespace NetNs.Core;

/// <summary>
/// Reads the packets of a pcapng file (NetNs's own, tshark's, dumpcap's; either byte order, several sections) or of a
/// classic pcap file (`tcpdump -w`). An interface named "ns:if" (as NetNs writes them) gives the packet's namespace
/// and interface; epb_flags give its direction. Equivalent to `tcpdump -r FILE`.
/// </summary>
internal static class CaptureFileReader
{
    private const uint Shb = 0x0A0D0D0A, Idb = 1, Spb = 3, Epb = 6, ObsoletePacket = 2;

    /// <summary>The frames in <paramref name="path"/>, read as they are enumerated.</summary>
    public static IEnumerable<CapturedFrame> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        var head = new byte[4];
        if (stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4)
            throw Malformed(path, "it is shorter than any capture file header");
        stream.Position = 0;
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(head);
        var frames = magic == Shb ? ReadPcapng(stream, path) : ReadPcap(stream, path, magic);
        foreach (var frame in frames)
            yield return frame;
    }

    private sealed class Iface(int linkType, string? ns, string name, long unitsPerSecond)
    {
        public int LinkType { get; } = linkType;
        public string? Namespace { get; } = ns;
        public string Name { get; } = name;
        public long UnitsPerSecond { get; } = unitsPerSecond;
    }

    private static IEnumerable<CapturedFrame> ReadPcapng(Stream stream, string path)
    {
        var interfaces = new List<Iface>();
        bool big = false;
        var header = new byte[8];
        while (stream.ReadAtLeast(header, 8, throwOnEndOfStream: false) is int got && got > 0)
        {
            if (got < 8)
                throw Malformed(path, "a block header is cut short");
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (type == Shb)
            {
                var bom = new byte[4];
                stream.ReadExactly(bom);
                big = BinaryPrimitives.ReadUInt32LittleEndian(bom) != 0x1A2B3C4D;
                interfaces.Clear();
                uint shbLength = U32(header.AsSpan(4), big);
                if (shbLength < 28 || shbLength > 1 << 24)
                    throw Malformed(path, "a section header has a bad length");
                stream.Seek(shbLength - 12, SeekOrigin.Current);
                continue;
            }
            uint length = U32(header.AsSpan(4), big);
            if (length < 12 || length % 4 != 0 || length > 1 << 26)
                throw Malformed(path, $"a block has a bad length ({length})");
            var body = new byte[length - 8];
            if (stream.ReadAtLeast(body, body.Length, throwOnEndOfStream: false) < body.Length)
                yield break; // a file still being written, or cut short: what is complete is read
            if (Block(type, body, big, interfaces, path) is { } frame)
                yield return frame;
        }
    }

    // One block after the section header: an interface described (null) or a packet.
    private static CapturedFrame? Block(uint type, byte[] body, bool big, List<Iface> interfaces, string path)
    {
        var b = body.AsSpan(0, body.Length - 4);
        if (type == Idb && b.Length >= 8)
        {
            interfaces.Add(Interface(b, big));
        }
        else if (type == Epb && b.Length >= 20)
        {
            int id = (int)U32(b, big);
            if (id >= interfaces.Count)
                throw Malformed(path, $"a packet names interface {id}, which was not described");
            ulong ts = ((ulong)U32(b[4..], big) << 32) | U32(b[8..], big);
            int captured = (int)U32(b[12..], big), original = (int)U32(b[16..], big);
            if (captured < 0 || 20 + captured > b.Length)
                throw Malformed(path, "a packet is longer than its block");
            uint flags = 0;
            foreach (var (code, value) in Options(b[(20 + ((captured + 3) & ~3))..], big))
            {
                if (code == 2 && value.Length >= 4)
                    flags = U32(value, big);
            }
            return Frame(interfaces[id], ts, original, b.Slice(20, captured).ToArray(), (flags & 3) == 2 ? PacketDirection.Out : PacketDirection.In);
        }
        else if (type == Spb && b.Length >= 4 && interfaces.Count > 0)
        {
            int original = (int)U32(b, big);
            return Frame(interfaces[0], 0, original, b[4..Math.Min(b.Length, 4 + original)].ToArray(), PacketDirection.In);
        }
        else if (type == ObsoletePacket && b.Length >= 20)
        {
            int id = big ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);
            int captured = (int)U32(b[12..], big);
            if (id < interfaces.Count && captured >= 0 && 20 + captured <= b.Length)
                return Frame(interfaces[id], ((ulong)U32(b[4..], big) << 32) | U32(b[8..], big), (int)U32(b[16..], big), b.Slice(20, captured).ToArray(), PacketDirection.In);
        }
        return null;
    }

    private static Iface Interface(ReadOnlySpan<byte> b, bool big)
    {
        int linkType = big ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);
        string name = "";
        long units = 1_000_000;
        foreach (var (code, value) in Options(b[8..], big))
        {
            if (code == 2)
                name = Encoding.UTF8.GetString(value).TrimEnd('\0');
            else if (code == 9 && value.Length >= 1)
            {
                int exponent = value[0] & 0x7f;
                units = (value[0] & 0x80) != 0 ? 1L << Math.Min(exponent, 62) : (long)Math.Pow(10, Math.Min(exponent, 18));
            }
        }
        int colon = name.LastIndexOf(':');
        return colon > 0 ? new Iface(linkType, name[..colon], name[(colon + 1)..], units) : new Iface(linkType, null, name, units);
    }

    private static List<(ushort Code, byte[] Value)> Options(ReadOnlySpan<byte> b, bool big)
    {
        var result = new List<(ushort, byte[])>();
        while (b.Length >= 4)
        {
            ushort code = big ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);
            ushort length = big ? BinaryPrimitives.ReadUInt16BigEndian(b[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);
            if (code == 0 || 4 + length > b.Length)
                break;
            result.Add((code, b.Slice(4, length).ToArray()));
            b = b[Math.Min(b.Length, 4 + ((length + 3) & ~3))..];
        }
        return result;
    }

    private static CapturedFrame Frame(Iface iface, ulong units, int original, byte[] data, PacketDirection direction)
    {
        long ns = iface.UnitsPerSecond == 1_000_000_000 ? (long)units
            : (long)(units / (ulong)iface.UnitsPerSecond) * 1_000_000_000L + (long)((units % (ulong)iface.UnitsPerSecond) * 1_000_000_000UL / (ulong)iface.UnitsPerSecond);
        return new CapturedFrame
        {
            Namespace = iface.Namespace,
            InterfaceAlias = iface.Name,
            TimestampNs = ns,
            Direction = direction,
            PacketType = direction == PacketDirection.Out ? PacketInterop.PACKET_OUTGOING : PacketInterop.PACKET_HOST,
            LinkType = iface.LinkType,
            OriginalLength = original,
            Data = data,
        };
    }

    // Classic pcap: a 24-byte header, then 16-byte record headers (microseconds, or nanoseconds for magic a1b23c4d).
    private static IEnumerable<CapturedFrame> ReadPcap(Stream stream, string path, uint magic)
    {
        bool big, nano;
        switch (magic)
        {
            case 0xa1b2c3d4: big = false; nano = false; break;
            case 0xa1b23c4d: big = false; nano = true; break;
            case 0xd4c3b2a1: big = true; nano = false; break;
            case 0x4d3cb2a1: big = true; nano = true; break;
            default: throw Malformed(path, "it is neither pcapng nor pcap");
        }
        var header = new byte[24];
        stream.ReadExactly(header);
        var iface = new Iface((int)(U32(header.AsSpan(20), big) & 0xffff), null, "", nano ? 1_000_000_000 : 1_000_000);
        var record = new byte[16];
        while (stream.ReadAtLeast(record, 16, throwOnEndOfStream: false) == 16)
        {
            ulong seconds = U32(record, big), fraction = U32(record.AsSpan(4), big);
            int captured = (int)U32(record.AsSpan(8), big), original = (int)U32(record.AsSpan(12), big);
            if (captured < 0 || captured > 1 << 24)
                throw Malformed(path, "a packet record has a bad length");
            var data = new byte[captured];
            if (stream.ReadAtLeast(data, captured, throwOnEndOfStream: false) < captured)
                yield break;
            yield return Frame(iface, seconds * (ulong)iface.UnitsPerSecond + fraction, original, data, PacketDirection.In);
        }
    }

    private static uint U32(ReadOnlySpan<byte> b, bool big) => big ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private static NetNsException Malformed(string path, string why) =>
        new(NetNsErrorReason.InvalidArgument, "read capture file", $"'{path}' is not a capture file NetNs can read: {why}", path);
}
