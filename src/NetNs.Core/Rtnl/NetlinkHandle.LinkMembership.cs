using NetNs.Core.Interop;
using NetNs.Core.Netlink;

namespace NetNs.Core;

// A link's place: its bridge (master), its name, its namespace, and deleting it.
public sealed partial class NetlinkHandle
{
    /// <summary>Enslaves a link to a bridge, or releases it with null. Equivalent to: `ip link set NAME master BR` / `nomaster`.</summary>
    public void SetMaster(string name, string? master) =>
        SetMasterIndex(name, master is null ? 0 : GetLinkIndex(master), master);

    // The port is named in the request (IFLA_IFNAME with ifindex 0): the kernel looks it up, ENODEV if missing.
    private void SetMasterIndex(string name, int masterIndex, string? master)
    {
        Names.CheckInterfaceName(name, "set master");
        Modify(0, name, master is null ? "release" : $"add to '{master}'", w =>
        {
            w.String(Ifla.IfName, name);
            w.U32(Ifla.Master, (uint)masterIndex);
        });
    }

    /// <summary>Deletes a link (a veth takes its peer with it). Equivalent to: `ip link delete NAME`.</summary>
    public void DeleteLink(string name)
    {
        Names.CheckInterfaceName(name, "delete link");
        var req = new MessageWriter(MessageType.DelLink, NetlinkFlags.None);
        req.Struct(new IfInfoMsg());
        req.String(Ifla.IfName, name);
        _socket.Execute(req, Context("delete", ObjectKind.Link, name));
    }

    private void TryDelete(string name)
    {
        try
        {
            DeleteLink(name);
        }
        catch (NetNsException)
        {
            // best effort rollback: the original error is what the caller needs to see
        }
    }

    // Rename while up can give EBUSY on older kernels: bring it down, rename, restore.
    private void Rename(int index, string name, string newName)
    {
        try
        {
            Modify(index, name, $"rename to '{newName}'", w => w.String(Ifla.IfName, newName));
        }
        catch (NetNsException e) when (e.Errno == Errno.EBUSY)
        {
            SetLinkState(name, false);
            Modify(index, name, $"rename to '{newName}'", w => w.String(Ifla.IfName, newName));
            SetLinkState(newName, true);
        }
    }

    private void MoveLink(int index, string name, NamespaceHandle target, string? newName)
    {
        bool added = false;
        target.Fd.DangerousAddRef(ref added); // keep the fd open until the ACK
        try
        {
            Modify(index, name, $"move to namespace '{target.DisplayName}'", w =>
            {
                w.U32(Ifla.NetNsFd, (uint)target.Fd.Value);
                if (newName is not null)
                    w.String(Ifla.IfName, newName);
            });
        }
        catch (NetNsException e) when (e.Reason == NetNsErrorReason.LinkExists)
        {
            // EEXIST is about the target namespace, not this one (which the generic message would name).
            string there = target.IsCurrent ? "the caller's namespace" : $"namespace '{target.DisplayName}'";
            throw new NetNsException(NetNsErrorReason.LinkExists, e.Operation,
                $"cannot move link '{name}' to {there}: a link named '{newName ?? name}' already exists there", newName ?? name, e.Errno, e.KernelMessage);
        }
        finally
        {
            if (added)
                target.Fd.DangerousRelease();
        }
    }

    private void Modify(int index, string name, string operation, Action<MessageWriter> attrs)
    {
        var req = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        req.Struct(new IfInfoMsg { Index = index });
        attrs(req);
        _socket.Execute(req, Context(operation, ObjectKind.Link, name));
    }
}
