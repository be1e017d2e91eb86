using System.Buffers.Binary;
using System.Text;
using NetNs.Core.Interop;
using NetNs.Core.Netlink;

namespace NetNs.Core.Tests;

/// <summary>NLMSG_ERROR replies (struct nlmsgerr + extended-ACK TLVs) turned into errors a user can act on.</summary>
public class ErrorReplyTests
{
    private static readonly ErrorContext LinkCtx = new("create", ObjectKind.Link, "veth0", "blue");

    /// <summary>
    /// An NLMSG_ERROR as the kernel sends it: error, the echoed request (header only when capped, else whole),
    /// then TLVs NLMSGERR_ATTR_MSG (1) and NLMSGERR_ATTR_OFFS (2).
    /// </summary>
    private static (NetlinkHeader Header, byte[] Payload) ErrorReply(int error, bool capped, string? msg, int requestPayload = 12)
    {
        var p = new List<byte>();
        var e = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(e, error);
        p.AddRange(e);
        var orig = new byte[16 + requestPayload];
        new NetlinkHeader((uint)orig.Length, MessageType.NewLink, NetlinkFlags.Request | NetlinkFlags.Ack, 5, 0).Write(orig);
        orig.AsSpan(16).Fill(0xee);
        p.AddRange(capped ? orig[..16] : orig);
        while (p.Count % 4 != 0) // the kernel reserves NLMSG_ALIGN(len) for the echoed request
            p.Add(0);
        var flags = capped ? NetlinkFlags.Capped : NetlinkFlags.None;
        if (msg is not null)
        {
            flags |= NetlinkFlags.AckTlvs;
            var offs = new byte[8];
            BinaryPrimitives.WriteUInt16LittleEndian(offs, 8);
            BinaryPrimitives.WriteUInt16LittleEndian(offs.AsSpan(2), 2);
            BinaryPrimitives.WriteUInt32LittleEndian(offs.AsSpan(4), 20);
            p.AddRange(offs); // NLMSGERR_ATTR_OFFS first: the message must be found after it
            byte[] text = Encoding.UTF8.GetBytes(msg + "\0");
            var hdr = new byte[4];
            BinaryPrimitives.WriteUInt16LittleEndian(hdr, (ushort)(4 + text.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(hdr.AsSpan(2), 1);
            p.AddRange(hdr);
            p.AddRange(text);
            while (p.Count % 4 != 0)
                p.Add(0);
        }
        return (new NetlinkHeader((uint)(16 + p.Count), MessageType.Error, flags, 5, 0), p.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ExtendedAckMessageIsCarried(bool capped)
    {
        var (h, payload) = ErrorReply(-Errno.EEXIST, capped, "Interface name already in use", requestPayload: 30);
        var e = Assert.Throws<NetNsException>(() => NetlinkSocket.ThrowIfError(h, payload, LinkCtx));
        Assert.Equal(NetNsErrorReason.LinkExists, e.Reason);
        Assert.Equal(Errno.EEXIST, e.Errno);
        Assert.Equal("Interface name already in use", e.KernelMessage);
        Assert.Equal("link 'veth0' already exists in namespace 'blue' (kernel: Interface name already in use)", e.Message);
        Assert.Equal("veth0", e.Target);
        Assert.Equal("create", e.Operation);
    }

    [Fact]
    public void MalformedTlvsAfterTheMessageKeepTheErrnoAndTheMessage()
    {
        var (h, payload) = ErrorReply(-Errno.EEXIST, capped: true, "Interface name already in use");
        // a trailing TLV whose length runs past the end of the reply
        byte[] bad = [.. payload, 0xff, 0x00, 0x03, 0x00];
        var header = new NetlinkHeader((uint)(16 + bad.Length), h.Type, h.Flags, h.Sequence, h.PortId);
        var e = Assert.Throws<NetNsException>(() => NetlinkSocket.ThrowIfError(header, bad, LinkCtx));
        Assert.Equal(NetNsErrorReason.LinkExists, e.Reason);
        Assert.Equal(Errno.EEXIST, e.Errno);
        Assert.Equal("Interface name already in use", e.KernelMessage);
    }

    [Fact]
    public void ScalarAttributesOfTheWrongSizeAreMalformedNotTruncated()
    {
        Assert.Equal(7u, AttributeReader.U32([7, 0, 0, 0]));
        Assert.Equal(NetNsErrorReason.MalformedReply, Assert.Throws<NetNsException>(() => AttributeReader.U32([7, 0, 0, 0, 1, 0, 0, 0])).Reason);
        Assert.Equal(NetNsErrorReason.MalformedReply, Assert.Throws<NetNsException>(() => AttributeReader.U16([7, 0, 0])).Reason);
        Assert.Equal(NetNsErrorReason.MalformedReply, Assert.Throws<NetNsException>(() => AttributeReader.U8([7, 0])).Reason);
    }

    [Theory]
    [InlineData(0xffffffffu)] // would be a negative offset as int
    [InlineData(0x7ffffff0u)] // past the end of the reply
    [InlineData(3u)]          // shorter than a header
    public void BogusEchoedLengthStillReportsTheErrno(uint echoedLength)
    {
        var (h, payload) = ErrorReply(-Errno.EEXIST, capped: false, "x");
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), echoedLength);
        var e = Assert.Throws<NetNsException>(() => NetlinkSocket.ThrowIfError(h, payload, LinkCtx));
        Assert.Equal(NetNsErrorReason.LinkExists, e.Reason);
    }

    [Fact]
    public void ErrorWithoutTlvsHasNoKernelMessage()
    {
        var (h, payload) = ErrorReply(-Errno.ENODEV, capped: false, msg: null);
        var e = Assert.Throws<NetNsException>(() => NetlinkSocket.ThrowIfError(h, payload, LinkCtx));
        Assert.Equal(NetNsErrorReason.LinkNotFound, e.Reason);
        Assert.Null(e.KernelMessage);
        Assert.Equal("link 'veth0' not found in namespace 'blue'", e.Message);
    }

    [Fact]
    public void AckIsNotAnError()
    {
        var (h, payload) = ErrorReply(0, capped: true, msg: null);
        NetlinkSocket.ThrowIfError(h, payload, LinkCtx);
    }

    [Fact]
    public void ErrorReplyWithoutCodeIsMalformed()
    {
        var e = Assert.Throws<NetNsException>(() =>
            NetlinkSocket.ThrowIfError(new NetlinkHeader(18, MessageType.Error, 0, 1, 0), new byte[2], LinkCtx));
        Assert.Equal(NetNsErrorReason.MalformedReply, e.Reason);
    }

    [Fact]
    public void DoneWithNegativeErrorCarriesTheTlvMessage()
    {
        // A dump that fails ends in NLMSG_DONE with an int error and, with ext-ACK, TLVs right after it.
        var p = new byte[4 + 8];
        BinaryPrimitives.WriteInt32LittleEndian(p, -Errno.EINVAL);
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(6), 1);
        "bad\0"u8.CopyTo(p.AsSpan(8));
        var h = new NetlinkHeader(28, MessageType.Done, NetlinkFlags.Multi | NetlinkFlags.AckTlvs, 1, 0);
        var e = Assert.Throws<NetNsException>(() => NetlinkSocket.ThrowIfError(h, p, new ErrorContext("list routes", ObjectKind.Route, null)));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Equal("bad", e.KernelMessage);
    }

    [Theory]
    [InlineData(Errno.EPERM, ObjectKind.Link, NetNsErrorReason.PermissionDenied)]
    [InlineData(Errno.EACCES, ObjectKind.Namespace, NetNsErrorReason.PermissionDenied)]
    [InlineData(Errno.EEXIST, ObjectKind.Namespace, NetNsErrorReason.NamespaceExists)]
    [InlineData(Errno.EEXIST, ObjectKind.Link, NetNsErrorReason.LinkExists)]
    [InlineData(Errno.EEXIST, ObjectKind.Address, NetNsErrorReason.AddressExists)]
    [InlineData(Errno.EEXIST, ObjectKind.Route, NetNsErrorReason.RouteExists)]
    [InlineData(Errno.EEXIST, ObjectKind.Sysctl, NetNsErrorReason.OperationFailed)]
    [InlineData(Errno.ENOENT, ObjectKind.Namespace, NetNsErrorReason.NamespaceNotFound)]
    [InlineData(Errno.ENODEV, ObjectKind.Link, NetNsErrorReason.LinkNotFound)]
    [InlineData(Errno.EADDRNOTAVAIL, ObjectKind.Address, NetNsErrorReason.AddressNotFound)]
    [InlineData(Errno.EADDRNOTAVAIL, ObjectKind.Link, NetNsErrorReason.InvalidArgument)]
    [InlineData(Errno.ESRCH, ObjectKind.Route, NetNsErrorReason.RouteNotFound)]
    [InlineData(Errno.ENOENT, ObjectKind.Sysctl, NetNsErrorReason.SysctlNotFound)]
    [InlineData(Errno.ENOENT, ObjectKind.Netlink, NetNsErrorReason.OperationFailed)]
    [InlineData(Errno.EBUSY, ObjectKind.Namespace, NetNsErrorReason.NamespaceBusy)]
    [InlineData(Errno.EBUSY, ObjectKind.Link, NetNsErrorReason.LinkBusy)]
    [InlineData(Errno.EINVAL, ObjectKind.Route, NetNsErrorReason.InvalidArgument)]
    [InlineData(Errno.ERANGE, ObjectKind.Link, NetNsErrorReason.InvalidArgument)]
    [InlineData(Errno.ENAMETOOLONG, ObjectKind.Namespace, NetNsErrorReason.InvalidArgument)]
    [InlineData(Errno.ENETUNREACH, ObjectKind.Route, NetNsErrorReason.NetworkUnreachable)]
    [InlineData(Errno.EOPNOTSUPP, ObjectKind.Link, NetNsErrorReason.NotSupported)]
    [InlineData(Errno.EAGAIN, ObjectKind.Netlink, NetNsErrorReason.Timeout)]
    [InlineData(Errno.ETIMEDOUT, ObjectKind.Netlink, NetNsErrorReason.Timeout)]
    [InlineData(Errno.ENOMEM, ObjectKind.Link, NetNsErrorReason.OperationFailed)]
    public void ReasonForMapsErrnoByObjectKind(int errno, ObjectKind kind, NetNsErrorReason reason) =>
        Assert.Equal(reason, NetNsException.ReasonFor(errno, kind));

    [Fact]
    public void MessagesAreWordedForHumans()
    {
        Assert.Equal("namespace 'red' already exists",
            NetNsException.FromErrno("create", Errno.EEXIST, ObjectKind.Namespace, "red").Message);
        Assert.Equal("link 'veth0' not found in namespace 'blue'",
            NetNsException.FromErrno("get", Errno.ENODEV, ObjectKind.Link, "veth0", "blue").Message);
        Assert.Equal("namespace 'red' not found",
            NetNsException.FromErrno("delete", Errno.ENOENT, ObjectKind.Namespace, "red").Message);
        Assert.Equal("route '198.18.1.0/24' already exists in namespace 'r'",
            NetNsException.FromErrno("add", Errno.EEXIST, ObjectKind.Route, "198.18.1.0/24", "r").Message);

        var denied = NetNsException.FromErrno("create", Errno.EPERM, ObjectKind.Namespace, "red");
        Assert.StartsWith("cannot create namespace 'red': permission denied", denied.Message);
        Assert.Contains("root", denied.Message);

        var other = NetNsException.FromErrno("bring up", Errno.ENOMEM, ObjectKind.Link, "eth0", "x", "out of memory here");
        Assert.StartsWith("cannot bring up link 'eth0' in namespace 'x': ", other.Message);
        Assert.EndsWith(" (kernel: out of memory here)", other.Message);
        Assert.Equal(Errno.ENOMEM, other.Errno);
    }

    [Fact]
    public void InvalidIsInvalidArgumentWithoutErrno()
    {
        var e = NetNsException.Invalid("create link", "x y", "bad name");
        Assert.Equal((NetNsErrorReason.InvalidArgument, 0, "bad name", "x y"), (e.Reason, e.Errno, e.Message, e.Target));
    }
}
