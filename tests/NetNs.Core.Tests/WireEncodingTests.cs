using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetNs.Core.Netlink;

namespace NetNs.Core.Tests;

/// <summary>Netlink requests byte for byte: what the kernel parses (no root needed).</summary>
public class WireEncodingTests
{
    private static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexString(b).ToLowerInvariant();

    private static string Clean(string golden) =>
        string.Concat(golden.Split('\n').Select(l => l.Split("//")[0])).Replace(" ", "").Replace("\r", "");

    [Fact]
    public void VethRequestMatchesTheBytesIproute2Sends()
    {
        // What CreateVeth builds for `ip link add veth0 type veth peer name peer0`.
        var w = new MessageWriter(MessageType.NewLink, NetlinkFlags.Request | NetlinkFlags.Ack | NetlinkFlags.Create | NetlinkFlags.Excl);
        w.Struct(new IfInfoMsg());
        w.String(Ifla.IfName, "veth0");
        using (w.Nested(Ifla.LinkInfo))
        {
            w.String(Ifla.InfoKind, "veth");
            using (w.Nested(Ifla.InfoData))
            using (w.Nested(Ifla.VethInfoPeer))
            {
                w.Struct(new IfInfoMsg());
                w.String(Ifla.IfName, "peer0");
                w.U32(Ifla.NetNsFd, 7);
            }
        }
        string golden = Clean("""
            68000000 1000 0506 2a000000 00000000          // nlmsghdr: len 104, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE, seq 42, pid 0
            00 00 0000 00000000 00000000 00000000         // ifinfomsg
            0a00 0300 7665746830 00 0000                  // IFLA_IFNAME "veth0\0" len 10, padded to 12
            3c00 1200                                     // IFLA_LINKINFO len 60
              0900 0100 76657468 00 000000                //   IFLA_INFO_KIND "veth\0" len 9, padded to 12
              2c00 0200                                   //   IFLA_INFO_DATA len 44
                2800 0100                                 //     VETH_INFO_PEER len 40
                  00 00 0000 00000000 00000000 00000000   //       ifinfomsg of the peer
                  0a00 0300 7065657230 00 0000            //       IFLA_IFNAME "peer0\0"
                  0800 1c00 07000000                      //       IFLA_NET_NS_FD 7
            """);
        var bytes = w.Finish(42);
        Assert.Equal(golden, Hex(bytes));
        Assert.Equal(104, bytes.Length);
        Assert.Equal(0, bytes.Length % 4);
    }

    [Fact]
    public void AttributesArePaddedToFourBytesAndCountOnlyTheirValue()
    {
        var w = new MessageWriter(MessageType.NewAddr, NetlinkFlags.None);
        w.U8(1, 0xab);
        w.U16(2, 0x1234);
        w.Bytes(3, [1, 2, 3]);
        w.S32(4, -1);
        var b = w.Finish(1);
        Assert.Equal(Clean("""
            30000000 1400 0000 01000000 00000000
            0500 0100 ab 000000
            0600 0200 3412 0000
            0700 0300 010203 00
            0800 0400 ffffffff
            """), Hex(b));
    }

    [Fact]
    public void EmptyNestWritesHeaderOnlyWithLengthFour()
    {
        var w = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        using (w.Nested(Ifla.LinkInfo))
        {
        }
        Assert.Equal("0400" + "1200", Hex(w.Finish(0)[16..]));
    }

    [Fact]
    public void StructsArePaddedToFourBytes()
    {
        var w = new MessageWriter(MessageType.GetNsId, NetlinkFlags.None);
        w.Struct(new RtGenMsg { Family = 10 });
        var b = w.Finish(0);
        Assert.Equal(20, b.Length);
        Assert.Equal("0a000000", Hex(b[16..]));
    }

    [Fact]
    public void StringAttributeCountsUtf8Bytes()
    {
        var w = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        w.String(Ifla.IfName, "é"); // 2 UTF-8 bytes + NUL
        Assert.Equal("0700" + "0300" + "c3a900" + "00", Hex(w.Finish(0)[16..]));
    }

    [Fact]
    public void TooLongAttributeIsRefusedNotTruncated()
    {
        var w = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        Assert.Throws<ArgumentOutOfRangeException>(() => w.Bytes(1, new byte[65532]));
        w.Bytes(1, new byte[65531]); // 65535 with its header: the largest that fits in u16
    }

    [Fact]
    public void HeaderRoundTrips()
    {
        var h = new NetlinkHeader(0x01020304, MessageType.GetRoute, NetlinkFlags.Dump | NetlinkFlags.Request, 0xdeadbeef, 0x80000001);
        var buf = new byte[NetlinkHeader.Size];
        h.Write(buf);
        Assert.Equal("04030201" + "1a00" + "0103" + "efbeadde" + "01000080", Hex(buf));
        Assert.Equal(h, NetlinkHeader.Read(buf));
    }

    [Fact]
    public void HeaderReadOfShortBufferIsMalformedReply()
    {
        var e = Assert.Throws<NetNsException>(() => NetlinkHeader.Read(new byte[15]));
        Assert.Equal(NetNsErrorReason.MalformedReply, e.Reason);
    }

    [Fact]
    public void StructSizesMatchTheKernelHeaders()
    {
        Assert.Equal(16, Unsafe.SizeOf<IfInfoMsg>());
        Assert.Equal(16, Marshal.SizeOf<IfInfoMsg>());
        Assert.Equal(8, Unsafe.SizeOf<IfAddrMsg>());
        Assert.Equal(8, Marshal.SizeOf<IfAddrMsg>());
        Assert.Equal(12, Unsafe.SizeOf<RtMsg>());
        Assert.Equal(12, Marshal.SizeOf<RtMsg>());
        Assert.Equal(IfInfoMsg.Size, Unsafe.SizeOf<IfInfoMsg>());
        Assert.Equal(IfAddrMsg.Size, Unsafe.SizeOf<IfAddrMsg>());
        Assert.Equal(RtMsg.Size, Unsafe.SizeOf<RtMsg>());
    }

    [Fact]
    public void StructFieldsLandAtKernelOffsets()
    {
        var w = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        w.Struct(new IfInfoMsg { Family = 7, Type = 0x0304, Index = 0x05060708, Flags = 1, Change = 0xffffffff });
        Assert.Equal("07000403" + "08070605" + "01000000" + "ffffffff", Hex(w.Finish(0)[16..]));
        var r = new MessageWriter(MessageType.NewRoute, NetlinkFlags.None);
        r.Struct(new RtMsg { Family = 2, DstLen = 24, Table = 254, Protocol = 3, Scope = 253, Type = 1, Flags = 0x200 });
        Assert.Equal("02180000" + "fe03fd01" + "00020000", Hex(r.Finish(0)[16..]));
        var a = new MessageWriter(MessageType.NewAddr, NetlinkFlags.None);
        a.Struct(new IfAddrMsg { Family = 10, PrefixLen = 64, Flags = 0x80, Scope = 0, Index = 3 });
        Assert.Equal("0a408000" + "03000000", Hex(a.Finish(0)[16..]));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 4)]
    [InlineData(3, 4)]
    [InlineData(4, 4)]
    [InlineData(5, 8)]
    [InlineData(17, 20)]
    [InlineData(65533, 65536)]
    public void AlignRoundsUpToFour(int len, int aligned)
    {
        Assert.Equal(aligned, Align.Message(len));
        Assert.Equal(aligned, Align.Attribute(len));
    }

    [Fact]
    public void AlignConstantsMatchTheHeaders()
    {
        Assert.Equal(16, Align.MessageHeaderLength);
        Assert.Equal(4, Align.AttributeHeaderLength);
        Assert.Equal(NetlinkHeader.Size, Align.MessageHeaderLength);
    }

    [Fact]
    public void FinishStampsSequenceAndGrowsBuffer()
    {
        var w = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        for (int i = 0; i < 200; i++) // well past the initial 256-byte buffer
            w.U32(1, (uint)i);
        var b = w.Finish(9, 77);
        Assert.Equal(16 + 200 * 8, b.Length);
        var h = NetlinkHeader.Read(b);
        Assert.Equal((uint)b.Length, h.Length);
        Assert.Equal(9u, h.Sequence);
        Assert.Equal(77u, h.PortId);
        var attrs = new AttributeReader(b[16..]);
        for (uint i = 0; i < 200; i++)
        {
            Assert.True(attrs.Next(out ushort type, out var v));
            Assert.Equal(1, type);
            Assert.Equal(i, AttributeReader.U32(v));
        }
        Assert.False(attrs.Next(out _, out _));
    }

    [Fact]
    public void AliasRequestCarriesIflaIfAliasWithoutATrailingNulAsIproute2Sends()
    {
        // `ip link set br0 alias lab`: IFLA_IFALIAS (20) holds the bytes of the text, no NUL (iproute2 ip/iplink.c).
        var bytes = NetlinkHandle.AliasRequest("br0", "lab").Finish(9);
        Assert.Equal(Clean("""
            30000000 1000 0000 09000000 00000000          // nlmsghdr: len 48, RTM_NEWLINK, seq 9 (the socket adds REQUEST|ACK)
            00 00 0000 00000000 00000000 00000000         // ifinfomsg
            0800 0300 62723000                            // IFLA_IFNAME "br0\0"
            0700 1400 6c6162 00                           // IFLA_IFALIAS "lab": len 7, padded to 8
            """), Hex(bytes));
        // and an empty alias (which clears it) is a bare header
        Assert.EndsWith("04001400", Hex(NetlinkHandle.AliasRequest("br0", "").Finish(9)));
    }
}
