using System.Net;
using System.Net.Sockets;
using NetNs.Core.Interop;
using NetNs.Core.Netlink;

namespace NetNs.Core;

// VXLAN devices whose UDP socket lives in one namespace (the host's: the underlay) while the device sits in another
// (a lab network's, on its bridge), and their flood list (bridge FDB entries for the all-zero MAC).
public sealed partial class NetlinkHandle
{
    private const ushort IflaVxlanId = 1;
    private const ushort IflaVxlanLocal = 4;
    private const ushort IflaVxlanPort = 15;
    private const ushort IflaVxlanLocal6 = 17;
    private const ushort NdaLinkLayerAddress = 2;
    private const byte AfBridge = 7;
    private const byte NtfSelf = 0x02;
    private const ushort NudPermanent = 0x80;

    /// <summary>
    /// Creates a VXLAN device from this handle's namespace (which keeps its UDP socket) straight into
    /// <paramref name="target"/>, with no remote (add flood destinations with <see cref="AppendFloodDestination"/>).
    /// Equivalent to: `ip link add NAME netns TARGET [mtu M] type vxlan id VNI local LOCAL dstport PORT`.
    /// </summary>
    internal void CreateVxlan(string name, NamespaceHandle target, int vni, IPAddress local, int port, int? mtu)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(local);
        Names.CheckNewInterfaceName(name, "create vxlan");
        CheckMtu(mtu, name);
        var req = new MessageWriter(MessageType.NewLink, NetlinkFlags.Create | NetlinkFlags.Excl);
        req.Struct(new IfInfoMsg());
        req.String(Ifla.IfName, name);
        if (mtu is int m)
            req.U32(Ifla.Mtu, (uint)m);
        bool added = false;
        try
        {
            target.Fd.DangerousAddRef(ref added); // the fd must stay open until the ACK
            req.U32(Ifla.NetNsFd, (uint)target.Fd.Value);
            using (req.Nested(Ifla.LinkInfo))
            {
                req.String(Ifla.InfoKind, "vxlan");
                using (req.Nested(Ifla.InfoData))
                {
                    req.U32(IflaVxlanId, (uint)vni);
                    req.Bytes(local.AddressFamily == AddressFamily.InterNetworkV6 ? IflaVxlanLocal6 : IflaVxlanLocal, local.GetAddressBytes());
                    req.Bytes(IflaVxlanPort, [(byte)(port >> 8), (byte)port]); // network byte order
                }
            }
            _socket.Execute(req, new ErrorContext("create vxlan", ObjectKind.Link, name, NamespaceHandle.LabelOf(target)));
        }
        finally
        {
            if (added)
                target.Fd.DangerousRelease();
        }
    }

    /// <summary>
    /// Adds <paramref name="remote"/> to the destinations a VXLAN device in this namespace floods unknown, broadcast
    /// and multicast frames to (head-end replication). Equivalent to:
    /// `bridge fdb append 00:00:00:00:00:00 dev NAME dst REMOTE self permanent`.
    /// </summary>
    internal void AppendFloodDestination(string name, IPAddress remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var req = new MessageWriter(MessageType.NewNeigh, NetlinkFlags.Create | NetlinkFlags.Append);
        req.Struct(new NdMsg { Family = AfBridge, Index = GetLinkIndex(name), State = NudPermanent, Flags = NtfSelf });
        req.Bytes(NdaLinkLayerAddress, new byte[6]);
        req.Bytes(NdMsg.AttrDestination, remote.GetAddressBytes());
        try
        {
            _socket.Execute(req, Context("add a flood destination to", ObjectKind.Link, name));
        }
        catch (NetNsException e) when (e.Errno == Errno.EEXIST)
        {
            // there already
        }
    }
}
