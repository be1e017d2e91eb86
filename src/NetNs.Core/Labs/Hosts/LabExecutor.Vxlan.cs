using System.Net;

namespace NetNs.Core;

// A network's VXLAN port: created from the namespace the lab is deployed from (the host's own: the UDP socket stays
// there, on the underlay) straight into the network's namespace, put on its bridge, given its flood destinations.
public sealed partial class LabExecutor
{
    private NetlinkHandle? _underlay;

    private void RunVxlan(LabChangeAction action, LabVxlanSpec v)
    {
        switch (action)
        {
            case LabChangeAction.Add:
                AddVxlan(v);
                break;
            case LabChangeAction.Set:
                if (v.Mtu is int mtu)
                    Rtnl(v.Namespace).SetLink(v.Name, new LinkChanges { Mtu = mtu });
                break;
            default:
                Rtnl(v.Namespace).DeleteLink(v.Name);
                break;
        }
    }

    private void AddVxlan(LabVxlanSpec v)
    {
        // The calling thread's namespace: the executor runs on the caller's thread, never a namespace worker's.
        _underlay ??= NetlinkHandle.Open();
        var (ns, rtnl) = Open(v.Namespace);
        var local = IPAddress.Parse(v.Local);
        try
        {
            _underlay.CreateVxlan(v.Name, ns, v.Id, local, v.Port, v.Mtu);
        }
        catch (NetNsException e) when (e.Errno == Interop.Errno.EEXIST && rtnl.FindLink(v.Name) is { Kind: "vxlan", Alias: var alias } && LabTags.LabOf(alias) is null)
        {
            // made by a deploy killed before it tagged it: made again
            rtnl.DeleteLink(v.Name);
            _underlay.CreateVxlan(v.Name, ns, v.Id, local, v.Port, v.Mtu);
        }
        catch (NetNsException e) when (e.Errno == Interop.Errno.EEXIST)
        {
            throw new NetNsException(e.Reason, "create vxlan",
                $"VXLAN {v.Id} on UDP port {v.Port} cannot be made for network '{_desired.MemberOf(v.Namespace)}': {e.Message} (another lab's network may have this VNI, or a VXLAN of this machine: rename the network, or set another port with the lab's Vxlan = @{{ Port = … }})",
                v.Namespace, e.Errno, e.KernelMessage, e);
        }
        _undo.Push(() => Rtnl(v.Namespace).DeleteLink(v.Name));
        rtnl.SetMaster(v.Name, v.Bridge);
        foreach (string remote in v.Remotes.Split(',', StringSplitOptions.RemoveEmptyEntries))
            rtnl.AppendFloodDestination(v.Name, IPAddress.Parse(remote));
        rtnl.SetLinkAlias(v.Name, v.Tag(_desired.Name, _desired), up: true);
    }
}
