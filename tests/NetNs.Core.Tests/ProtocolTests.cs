using System.Buffers.Binary;
using NetNs.Core.Netlink;

namespace NetNs.Core.Tests;

/// <summary>
/// The request/reply protocol of NetlinkSocket over a scripted transport: dump retry on NLM_F_DUMP_INTR,
/// stale replies skipped, ACK errors with the kernel's message, errors inside NLMSG_DONE.
/// </summary>
public sealed class ProtocolTests
{
    /// <summary>Answers each request with the datagrams its script builds for the request's sequence number.</summary>
    private sealed class ScriptedTransport(params Func<uint, byte[][]>[] replies) : INetlinkTransport
    {
        private readonly Queue<Func<uint, byte[][]>> _replies = new(replies);
        private readonly Queue<byte[]> _pending = new();

        public int Requests { get; private set; }

        public void Send(ReadOnlySpan<byte> message)
        {
            Requests++;
            uint seq = BinaryPrimitives.ReadUInt32LittleEndian(message[8..]);
            Assert.True(_replies.Count > 0, "a request the script did not expect");
            foreach (byte[] d in _replies.Dequeue()(seq))
                _pending.Enqueue(d);
        }

        public ReadOnlySpan<byte> Receive()
        {
            Assert.True(_pending.Count > 0, "a receive with nothing left to answer (the socket would hang)");
            return _pending.Dequeue();
        }

        public void Dispose()
        {
        }
    }

    private static byte[] Link(uint seq, int index, string name, NetlinkFlags flags = NetlinkFlags.Multi)
    {
        var w = new MessageWriter(MessageType.NewLink, flags);
        w.Struct(new IfInfoMsg { Index = index });
        w.String(Ifla.IfName, name);
        return w.Finish(seq).ToArray();
    }

    private static byte[] Done(uint seq, int error = 0, NetlinkFlags flags = NetlinkFlags.Multi)
    {
        var w = new MessageWriter(MessageType.Done, flags);
        w.Struct(error);
        return w.Finish(seq).ToArray();
    }

    private static byte[] Ack(uint seq, int error, string? kernelMessage = null)
    {
        var w = new MessageWriter(MessageType.Error, kernelMessage is null ? NetlinkFlags.Capped : NetlinkFlags.Capped | NetlinkFlags.AckTlvs);
        w.Struct(error);
        w.Struct(new NetlinkHeader(16, MessageType.NewLink, NetlinkFlags.Request, seq, 0)); // the echoed request header (capped)
        if (kernelMessage is not null)
            w.String(1, kernelMessage); // NLMSGERR_ATTR_MSG
        return w.Finish(seq).ToArray();
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static List<LinkMessage> DumpLinks(NetlinkSocket socket)
    {
        var req = new MessageWriter(MessageType.GetLink, NetlinkFlags.Dump);
        req.Struct(new IfInfoMsg());
        return socket.Query<LinkMessage>(req, LinkMessage.Parse, new ErrorContext("list links", ObjectKind.Link, null));
    }

    [Fact]
    public void DumpFlaggedInterruptedIsRetriedAndOnlyTheCleanAttemptIsReturned()
    {
        var transport = new ScriptedTransport(
            seq => [Concat(Link(seq, 1, "lo"), Link(seq, 2, "gone", NetlinkFlags.Multi | NetlinkFlags.DumpInterrupted)), Done(seq)],
            seq => [Concat(Link(seq, 1, "lo"), Link(seq, 3, "veth0")), Done(seq)]);
        using var socket = new NetlinkSocket(transport);
        var links = DumpLinks(socket);
        Assert.Equal(["lo", "veth0"], links.Select(l => l.Name).ToArray());
        Assert.Equal(2, transport.Requests);
    }

    [Fact]
    public void DumpThatNeverSettlesFailsAfterTenAttemptsInsteadOfLooping()
    {
        var script = Enumerable.Repeat<Func<uint, byte[][]>>(
            seq => [Link(seq, 1, "lo", NetlinkFlags.Multi | NetlinkFlags.DumpInterrupted), Done(seq)], 10).ToArray();
        var transport = new ScriptedTransport(script);
        using var socket = new NetlinkSocket(transport);
        var e = Assert.Throws<NetNsException>(() => DumpLinks(socket));
        Assert.Contains("kept changing", e.Message);
        Assert.Equal(10, transport.Requests);
    }

    [Fact]
    public void RepliesToAnEarlierSequenceNumberAreSkipped()
    {
        var transport = new ScriptedTransport(
            seq => [Link(seq - 1, 9, "stale"), Concat(Link(seq, 1, "lo"), Done(seq))]);
        using var socket = new NetlinkSocket(transport);
        Assert.Equal(["lo"], DumpLinks(socket).Select(l => l.Name).ToArray());
    }

    [Fact]
    public void AckWithAnErrorThrowsWithTheKernelsMessageAndTheObjectsReason()
    {
        var transport = new ScriptedTransport(seq => [Ack(seq, -17, "Device exists")]);
        using var socket = new NetlinkSocket(transport);
        var req = new MessageWriter(MessageType.NewLink, NetlinkFlags.Create | NetlinkFlags.Excl);
        req.Struct(new IfInfoMsg());
        var e = Assert.Throws<NetNsException>(() => socket.Execute(req, new ErrorContext("create", ObjectKind.Link, "veth0", "red")));
        Assert.Equal(NetNsErrorReason.LinkExists, e.Reason);
        Assert.Equal(17, e.Errno);
        Assert.Equal("Device exists", e.KernelMessage);
        Assert.Equal("link 'veth0' already exists in namespace 'red' (kernel: Device exists)", e.Message);
        Assert.True((req.Flags & NetlinkFlags.Ack) != 0, "every change asks for an ACK");
    }

    [Fact]
    public void AckWithZeroErrorCompletesTheRequest()
    {
        var transport = new ScriptedTransport(seq => [Ack(seq, 0)]);
        using var socket = new NetlinkSocket(transport);
        var req = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        req.Struct(new IfInfoMsg { Index = 2 });
        socket.Execute(req, new ErrorContext("bring up", ObjectKind.Link, "veth0"));
        Assert.Equal(1, transport.Requests);
    }

    [Fact]
    public void ErrorCarriedInDoneFailsTheDump()
    {
        var transport = new ScriptedTransport(seq => [Concat(Link(seq, 1, "lo"), Done(seq, -1))]);
        using var socket = new NetlinkSocket(transport);
        var e = Assert.Throws<NetNsException>(() => DumpLinks(socket));
        Assert.Equal(NetNsErrorReason.PermissionDenied, e.Reason);
    }
}
