using NetNs.Core.Interop;
using NetNs.Core.Netlink;

namespace NetNs.Core;

public sealed partial class NetlinkHandle
{
    /// <summary>
    /// The id this handle's namespace uses for <paramref name="target"/>, or null when none is assigned.
    /// Equivalent to: `ip netns list-id` (one entry). Never assigns one.
    /// </summary>
    public int? GetNsId(NamespaceHandle target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var req = new MessageWriter(MessageType.GetNsId, NetlinkFlags.None);
        req.Struct(new RtGenMsg { Family = 0 });
        bool added = false;
        target.Fd.DangerousAddRef(ref added);
        try
        {
            req.U32(NetNsA.Fd, (uint)target.Fd.Value);
            var ids = _socket.Query<int>(req, ParseNsId, Context("get the id of", ObjectKind.Namespace, target.DisplayName));
            return ids.Count > 0 && ids[0] >= 0 ? ids[0] : null;
        }
        finally
        {
            if (added)
                target.Fd.DangerousRelease();
        }
    }

    /// <summary>
    /// Assigns <paramref name="id"/> as this namespace's id for <paramref name="target"/>; an id, once set,
    /// cannot change (the kernel answers EEXIST). Equivalent to: `ip netns set NAME ID`.
    /// </summary>
    public void SetNsId(NamespaceHandle target, int id)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (id < 0)
            throw NetNsException.Invalid("set namespace id", id.ToString(), $"namespace id {id} must be 0 or more");
        var req = new MessageWriter(MessageType.NewNsId, NetlinkFlags.None);
        req.Struct(new RtGenMsg { Family = 0 });
        bool added = false;
        target.Fd.DangerousAddRef(ref added);
        try
        {
            req.U32(NetNsA.Fd, (uint)target.Fd.Value);
            req.S32(NetNsA.NsId, id);
            _socket.Execute(req, Context("set the id of", ObjectKind.Namespace, target.DisplayName));
        }
        catch (NetNsException e) when (e.Errno == Errno.EEXIST)
        {
            throw new NetNsException(NetNsErrorReason.InvalidArgument, "set namespace id",
                $"namespace '{target.DisplayName}' already has an id, or id {id} is taken; an id cannot change", target.DisplayName, e.Errno, e.KernelMessage);
        }
        finally
        {
            if (added)
                target.Fd.DangerousRelease();
        }
    }

    private static bool ParseNsId(in NetlinkHeader h, ReadOnlySpan<byte> payload, out int id)
    {
        id = -1;
        if (h.Type != MessageType.NewNsId || payload.Length < 4)
            return false;
        var attrs = new AttributeReader(payload[4..]); // rtgenmsg padded to 4
        while (attrs.Next(out ushort type, out var v))
        {
            if (type == NetNsA.NsId)
                id = AttributeReader.S32(v);
        }
        return true;
    }
}
