using System.Net;
using NetNs.Core.Interop;
using NetNs.Core.Netlink;

namespace NetNs.Core;

// The neighbour tables (ARP, NDP): what a lab forgets when it gives an address to another node.
public sealed partial class NetlinkHandle
{
    /// <summary>
    /// Forgets the learnt neighbour entries (ARP and NDP) for any of <paramref name="addresses"/>, on every link; entries
    /// the kernel keeps by itself or that were set by hand (NOARP, PERMANENT) stay. Returns how many went.
    /// Equivalent to: `ip neigh show`, then `ip neigh del ADDRESS dev LINK` for each match.
    /// </summary>
    internal int ForgetNeighbors(IReadOnlySet<IPAddress> addresses)
    {
        var req = new MessageWriter(MessageType.GetNeigh, NetlinkFlags.Dump);
        req.Struct(new NdMsg());
        var entries = _socket.Query<(NdMsg Header, IPAddress Address)>(req, ParseNeighbor, Context("list neighbours", ObjectKind.Link, null));
        int forgotten = 0;
        foreach (var (header, address) in entries)
        {
            if ((header.State & NdMsg.StaticStates) != 0 || !addresses.Contains(address))
                continue;
            var del = new MessageWriter(MessageType.DelNeigh, NetlinkFlags.None);
            del.Struct(new NdMsg { Family = header.Family, Index = header.Index });
            del.Bytes(NdMsg.AttrDestination, address.GetAddressBytes());
            try
            {
                _socket.Execute(del, Context("forget the neighbour", ObjectKind.Link, address.ToString()));
                forgotten++;
            }
            catch (NetNsException e) when (e.Errno is Errno.ENOENT or Errno.ENODEV)
            {
                // gone meanwhile (it expired, or its link was deleted)
            }
        }
        return forgotten;
    }

    private static bool ParseNeighbor(in NetlinkHeader h, ReadOnlySpan<byte> payload, out (NdMsg, IPAddress) entry)
    {
        entry = default;
        if (h.Type != MessageType.NewNeigh)
            return false;
        var nd = NdMsg.Read(payload);
        var attrs = new AttributeReader(payload[NdMsg.Size..]);
        while (attrs.Next(out ushort type, out var value))
        {
            if (type == NdMsg.AttrDestination && value.Length is 4 or 16)
            {
                entry = (nd, new IPAddress(value));
                return true;
            }
        }
        return false;
    }
}
