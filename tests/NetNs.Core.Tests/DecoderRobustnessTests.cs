using NetNs.Core.Netlink;

namespace NetNs.Core.Tests;

/// <summary>
/// Replies the kernel should never send must fail as MalformedReply (or end cleanly), never with an
/// IndexOutOfRange/ArgumentOutOfRange from a bad slice.
/// </summary>
public class DecoderRobustnessTests
{
    private static List<(ushort Type, byte[] Value)> ReadAll(byte[] data)
    {
        var list = new List<(ushort, byte[])>();
        var r = new AttributeReader(data);
        int guard = 0;
        while (r.Next(out ushort type, out var value))
        {
            list.Add((type, value.ToArray()));
            Assert.True(++guard <= data.Length, "attribute reader did not advance");
        }
        return list;
    }

    private static int CountMessages(byte[] data)
    {
        var r = new MessageReader(data);
        int n = 0;
        while (r.Next(out _, out _))
            Assert.True(++n <= data.Length, "message reader did not advance");
        return n;
    }

    private static void AssertMalformed(Action a)
    {
        var e = Assert.Throws<NetNsException>(a);
        Assert.Equal(NetNsErrorReason.MalformedReply, e.Reason);
        Assert.StartsWith("malformed netlink reply", e.Message);
    }

    [Fact]
    public void AttributesAreReadWithTypeMaskAndPadding()
    {
        byte[] data = [5, 0, 0x01, 0x80, 0xaa, 0, 0, 0, /* nested flag on type 1 */ 8, 0, 2, 0, 1, 2, 3, 4];
        var all = ReadAll(data);
        Assert.Equal(2, all.Count);
        Assert.Equal((ushort)1, all[0].Type);
        Assert.Equal(new byte[] { 0xaa }, all[0].Value);
        Assert.Equal((ushort)2, all[1].Type);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, all[1].Value);
    }

    [Fact]
    public void LastAttributeWithoutPaddingIsAccepted()
    {
        // The kernel never omits the padding, but a final unpadded attribute fits and is not an error.
        var all = ReadAll([5, 0, 3, 0, 0x41]);
        Assert.Single(all);
        Assert.Equal(new byte[] { 0x41 }, all[0].Value);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 4 })]
    [InlineData(new byte[] { 4, 0, 1 })]
    public void FewerThanFourBytesEndCleanly(byte[] data) => Assert.Empty(ReadAll(data));

    [Theory]
    [InlineData(new byte[] { 0, 0, 1, 0 })]             // length 0
    [InlineData(new byte[] { 3, 0, 1, 0 })]             // length < header
    [InlineData(new byte[] { 9, 0, 1, 0, 1, 2, 3, 4 })] // length > remaining
    [InlineData(new byte[] { 0xff, 0xff, 1, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 8, 0, 1, 0, 1, 2, 3, 4, 2, 0, 1, 0 })] // second one broken
    public void BadAttributeLengthIsMalformedReply(byte[] data) => AssertMalformed(() => ReadAll(data));

    [Fact]
    public void ShortScalarValuesAreMalformedReply()
    {
        AssertMalformed(() => AttributeReader.U32([1, 2, 3]));
        AssertMalformed(() => AttributeReader.U16([1]));
        AssertMalformed(() => AttributeReader.U8([]));
        Assert.Equal("eth0", AttributeReader.String("eth0"u8));     // missing NUL tolerated
        Assert.Equal("eth0", AttributeReader.String("eth0\0xx"u8)); // stops at the NUL
    }

    private static byte[] Message(int len, int totalBytes, ushort type = 16)
    {
        var b = new byte[totalBytes];
        new NetlinkHeader((uint)len, (MessageType)type, NetlinkFlags.Multi, 1, 0).Write(b);
        return b;
    }

    [Fact]
    public void MessagesAreWalkedByAlignedLength()
    {
        var data = new byte[20 + 16];
        new NetlinkHeader(18, MessageType.NewLink, NetlinkFlags.Multi, 1, 0).Write(data);   // 18, aligned to 20
        new NetlinkHeader(16, MessageType.Done, NetlinkFlags.Multi, 1, 0).Write(data.AsSpan(20));
        var r = new MessageReader(data);
        Assert.True(r.Next(out var h1, out var p1));
        Assert.Equal(MessageType.NewLink, h1.Type);
        Assert.Equal(2, p1.Length);
        Assert.True(r.Next(out var h2, out var p2));
        Assert.Equal(MessageType.Done, h2.Type);
        Assert.Equal(0, p2.Length);
        Assert.False(r.Next(out _, out _));
    }

    [Fact]
    public void BadMessageLengthsAreMalformedReply()
    {
        AssertMalformed(() => CountMessages(new byte[10]));          // truncated header
        AssertMalformed(() => CountMessages(Message(0, 16)));        // length 0
        AssertMalformed(() => CountMessages(Message(15, 16)));       // length < header
        AssertMalformed(() => CountMessages(Message(17, 16)));       // length > datagram
        AssertMalformed(() => CountMessages(Message(-1, 32)));       // 0xffffffff
        Assert.Equal(1, CountMessages(Message(18, 18)));             // unpadded final message fits
    }

    [Fact]
    public void RandomBytesNeverEscapeAsOutOfRange()
    {
        var rng = new Random(20240611);
        var buf = new byte[96];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        for (int i = 0; i < 20_000 && DateTime.UtcNow < deadline; i++)
        {
            int n = rng.Next(buf.Length + 1);
            rng.NextBytes(buf);
            var data = buf[..n];
            if (n >= 4 && rng.Next(2) == 0) // make plausible lengths common, so decoding goes deep
                data[0] = (byte)rng.Next(n + 4);
            if (n >= 16 && rng.Next(2) == 0)
            {
                data[0] = (byte)rng.Next(n + 8);
                data[1] = data[2] = data[3] = 0;
            }
            Survives(() => ReadAll(data), data);
            Survives(() => CountMessages(data), data);
            Survives(() => LinkMessage.Parse(new NetlinkHeader(0, MessageType.NewLink, 0, 0, 0), data, out _), data);
            Survives(() => NetlinkSocket.ThrowIfError(new NetlinkHeader(0, MessageType.Error, NetlinkFlags.AckTlvs, 0, 0), data,
                new ErrorContext("test", ObjectKind.Link, "x")), data);
        }
    }

    private static void Survives(Action decode, byte[] data)
    {
        try
        {
            decode();
        }
        catch (NetNsException)
        {
            // MalformedReply, or the error an NLMSG_ERROR carried: both are fine
        }
        catch (Exception e)
        {
            Assert.Fail($"{e.GetType().Name} decoding {Convert.ToHexString(data)}: {e}");
        }
    }

    [Fact]
    public void LinkMessageWithBrokenNestedLinkInfoIsMalformedReply()
    {
        var w = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        w.Struct(new IfInfoMsg { Index = 3 });
        w.String(Ifla.IfName, "eth0");
        w.Bytes(Ifla.LinkInfo, [0x20, 0, 1, 0, 0x76, 0x65, 0x74, 0x68]); // inner length 32 > 8
        var msg = w.Finish(1).ToArray();
        AssertMalformed(() => LinkMessage.Parse(NetlinkHeader.Read(msg), msg.AsSpan(16), out _));
        AssertMalformed(() => LinkMessage.Parse(NetlinkHeader.Read(msg), msg.AsSpan(16, 10), out _)); // short ifinfomsg
    }

    [Fact]
    public void WellFormedLinkMessageDecodes()
    {
        var w = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        w.Struct(new IfInfoMsg { Index = 7, Flags = 0x1043 });
        w.String(Ifla.IfName, "veth-a");
        w.U32(Ifla.Mtu, 1400);
        w.Bytes(Ifla.Address, [2, 0, 0x5e, 0x10, 0, 1]);
        w.U32(Ifla.Link, 8);
        w.S32(Ifla.LinkNetNsId, 0);
        using (w.Nested(Ifla.LinkInfo))
            w.String(Ifla.InfoKind, "veth");
        var msg = w.Finish(1).ToArray();
        Assert.True(LinkMessage.Parse(NetlinkHeader.Read(msg), msg.AsSpan(16), out var m));
        Assert.Equal(("veth-a", 7, 1400, "02:00:5e:10:00:01", 8, (int?)0, "veth"), (m.Name, m.Index, m.Mtu, m.MacText, m.Link, m.LinkNetNsId, m.Kind));
        Assert.Equal(["BROADCAST", "MULTICAST", "UP"], m.FlagList);
    }

    [Fact]
    public void Stats64CountersDecodeIntoTheirOwnFields()
    {
        // struct rtnl_link_stats64: rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors, rx_dropped,
        // tx_dropped, then 16 more u64 counters; each given a distinct value so a wrong offset shows.
        var stats = new byte[24 * 8];
        for (int i = 0; i < 24; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(stats.AsSpan(i * 8), (ulong)(i + 1) * 1000 + (1UL << 40));
        var w = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        w.Struct(new IfInfoMsg { Index = 3 });
        w.String(Ifla.IfName, "eth0");
        w.Bytes(Ifla.Stats64, stats);
        var msg = w.Finish(1).ToArray();
        Assert.True(LinkMessage.Parse(NetlinkHeader.Read(msg), msg.AsSpan(16), out var m));
        const ulong High = 1UL << 40;
        Assert.Equal(
            (High + 1000, High + 2000, High + 3000, High + 4000, High + 5000, High + 6000, High + 7000, High + 8000),
            (m.RxPackets, m.TxPackets, m.RxBytes, m.TxBytes, m.RxErrors, m.TxErrors, m.RxDropped, m.TxDropped));
    }
}
