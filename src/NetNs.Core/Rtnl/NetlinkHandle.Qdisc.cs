using NetNs.Core.Interop;
using NetNs.Core.Netlink;

namespace NetNs.Core;

// Queueing disciplines on a link's egress: tbf for a rate, netem for delay, jitter, loss and the rest.
public sealed partial class NetlinkHandle
{
    /// <summary>The handle NetNs gives a root netem (1:), whose only class 1:1 takes a tbf (10:, hexadecimal as tc reads handles) for a rate.</summary>
    internal const uint NetemHandle = 0x0001_0000, NetemClass = 0x0001_0001, TbfChildHandle = 0x0010_0000;

    /// <summary>
    /// Makes a tbf the root qdisc of <paramref name="link"/>, replacing whatever was there.
    /// Equivalent to: `tc qdisc replace dev LINK root tbf rate R burst B latency L`.
    /// </summary>
    public void ReplaceRootTbf(string link, TbfSpec spec, PschedClock? clock = null)
    {
        int index = GetLinkIndex(link);
        var req = QdiscEncoding.Replace(index, TcMsg.Root, 0, "tbf", w => QdiscEncoding.Tbf(w, spec, clock ?? PschedClock.Kernel));
        _socket.Execute(req, Context("set the rate of", ObjectKind.Link, link));
    }

    /// <summary>
    /// Makes a netem the root qdisc of <paramref name="link"/> (handle 1:) and, with <paramref name="rate"/>, a tbf
    /// under it (1:1, handle 10:). NetemNotAvailable, with nothing changed, when the kernel has no sch_netem.
    /// Equivalent to: `tc qdisc replace dev LINK root handle 1: netem …` and
    /// `tc qdisc replace dev LINK parent 1:1 handle 10: tbf rate R burst B latency L`.
    /// </summary>
    public void ReplaceRootNetem(string link, NetemSpec spec, TbfSpec? rate = null, PschedClock? clock = null)
    {
        clock ??= PschedClock.Kernel;
        int index = GetLinkIndex(link);
        var req = QdiscEncoding.Replace(index, TcMsg.Root, NetemHandle, "netem", w => QdiscEncoding.Netem(w, spec, clock));
        try
        {
            _socket.Execute(req, Context("emulate impairments on", ObjectKind.Link, link));
        }
        catch (NetNsException e) when (e.Errno == Errno.ENOENT)
        {
            throw NetemMissing(link, e);
        }
        if (rate is null)
            return;
        var child = QdiscEncoding.Replace(index, NetemClass, TbfChildHandle, "tbf", w => QdiscEncoding.Tbf(w, rate, clock));
        try
        {
            _socket.Execute(child, Context("set the rate of", ObjectKind.Link, link));
        }
        catch (NetNsException)
        {
            DeleteRootQdisc(link);
            throw;
        }
    }

    /// <summary>
    /// Removes the root qdisc of <paramref name="link"/> (the kernel's default takes its place); false when the link
    /// has none but the default. Equivalent to: `tc qdisc del dev LINK root`.
    /// </summary>
    public bool DeleteRootQdisc(string link)
    {
        int index = GetLinkIndex(link);
        var root = GetQdiscs(link).FirstOrDefault(q => q.Parent == TcMsg.Root);
        if (root is null || root.Handle == 0)
            return false;
        try
        {
            _socket.Execute(QdiscEncoding.DeleteRoot(index), Context("remove the qdisc of", ObjectKind.Link, link));
        }
        catch (NetNsException e) when (e.Errno is Errno.ENOENT or Errno.EINVAL)
        {
            return false; // gone meanwhile
        }
        return true;
    }

    /// <summary>The qdiscs of <paramref name="link"/>, root first. Equivalent to: `tc qdisc show dev LINK`.</summary>
    public IReadOnlyList<QdiscInfo> GetQdiscs(string link, PschedClock? clock = null)
    {
        clock ??= PschedClock.Kernel;
        int index = GetLinkIndex(link);
        var req = new MessageWriter(MessageType.GetQdisc, NetlinkFlags.Dump);
        req.Struct(new TcMsg { Index = index });
        var all = _socket.Query<(int Index, QdiscInfo Info)>(req,
            (in NetlinkHeader h, ReadOnlySpan<byte> p, out (int, QdiscInfo) e) => QdiscEncoding.Parse(h, p, clock, out e),
            Context("list the qdiscs of", ObjectKind.Link, link));
        return all.Where(q => q.Index == index).Select(q => q.Info).OrderBy(q => q.Parent == TcMsg.Root ? 0 : 1).ToList();
    }

    private NetNsException NetemMissing(string link, NetNsException e) =>
        new(NetNsErrorReason.NetemNotAvailable, "emulate impairments on",
            $"cannot emulate delay, jitter, duplication, corruption or reordering on link '{link}'"
            + (NamespaceName is null ? "" : $" in namespace '{NamespaceName}'")
            + ": this kernel has no netem (kernel module sch_netem, CONFIG_NET_SCH_NETEM); rate and loss work without it",
            link, e.Errno, e.KernelMessage, e);
}
