using System.Buffers.Binary;
using NetNs.Core.Netlink;

namespace NetNs.Core;

/// <summary>One RTM_NEWLINK message decoded, before names are resolved.</summary>
internal sealed class LinkMessage
{
    public int Index;
    public uint Flags;
    public ushort DeviceType;
    public string Name = "";
    public int Mtu;
    public byte[]? Address;
    public int Master;
    public byte OperState;
    public int Link;
    public int? LinkNetNsId;
    public string? Kind;
    public string? Alias;
    public string? Qdisc;
    public int? VlanId;
    public ulong RxPackets, TxPackets, RxBytes, TxBytes, RxErrors, TxErrors, RxDropped, TxDropped;

    private const ushort ArphrdLoopback = 772;

    public static bool Parse(in NetlinkHeader h, ReadOnlySpan<byte> payload, out LinkMessage link)
    {
        link = null!;
        if (h.Type != MessageType.NewLink)
            return false;
        var ifi = IfInfoMsg.Read(payload);
        var m = new LinkMessage { Index = ifi.Index, Flags = ifi.Flags, DeviceType = ifi.Type };
        var attrs = new AttributeReader(payload[IfInfoMsg.Size..]);
        while (attrs.Next(out ushort type, out var v))
        {
            switch (type)
            {
                case Ifla.IfName: m.Name = AttributeReader.String(v); break;
                case Ifla.Mtu: m.Mtu = AttributeReader.S32(v); break;
                case Ifla.Address: m.Address = v.ToArray(); break;
                case Ifla.Master: m.Master = AttributeReader.S32(v); break;
                case Ifla.OperState: m.OperState = AttributeReader.U8(v); break;
                case Ifla.IfAlias: m.Alias = AttributeReader.String(v); break;
                case Ifla.Qdisc: m.Qdisc = AttributeReader.String(v); break;
                case Ifla.Link: m.Link = AttributeReader.S32(v); break;
                case Ifla.LinkNetNsId: m.LinkNetNsId = AttributeReader.S32(v); break;
                case Ifla.LinkInfo: m.ReadLinkInfo(v); break;
                case Ifla.Stats64 when v.Length >= 32:
                    // struct rtnl_link_stats64 (linux/if_link.h): rx_packets, tx_packets, rx_bytes, tx_bytes, …
                    m.RxPackets = BinaryPrimitives.ReadUInt64LittleEndian(v);
                    m.TxPackets = BinaryPrimitives.ReadUInt64LittleEndian(v[8..]);
                    m.RxBytes = BinaryPrimitives.ReadUInt64LittleEndian(v[16..]);
                    m.TxBytes = BinaryPrimitives.ReadUInt64LittleEndian(v[24..]);
                    if (v.Length >= 64)
                    {
                        // … rx_errors, tx_errors, rx_dropped, tx_dropped
                        m.RxErrors = BinaryPrimitives.ReadUInt64LittleEndian(v[32..]);
                        m.TxErrors = BinaryPrimitives.ReadUInt64LittleEndian(v[40..]);
                        m.RxDropped = BinaryPrimitives.ReadUInt64LittleEndian(v[48..]);
                        m.TxDropped = BinaryPrimitives.ReadUInt64LittleEndian(v[56..]);
                    }
                    break;
            }
        }
        link = m;
        return true;
    }

    private void ReadLinkInfo(ReadOnlySpan<byte> info)
    {
        var attrs = new AttributeReader(info);
        ReadOnlySpan<byte> data = default;
        while (attrs.Next(out ushort type, out var v))
        {
            if (type == Ifla.InfoKind)
                Kind = AttributeReader.String(v);
            else if (type == Ifla.InfoData)
                data = v;
        }
        if (Kind == "vlan" && !data.IsEmpty)
        {
            var d = new AttributeReader(data);
            while (d.Next(out ushort type, out var v))
            {
                if (type == Ifla.VlanId)
                    VlanId = AttributeReader.U16(v);
            }
        }
    }

    public bool IsLoopback => DeviceType == ArphrdLoopback || (Flags & Iff.Loopback) != 0;

    public string KindName => Kind ?? (IsLoopback ? "loopback" : "device");

    /// <summary>IF_OPER_* (linux/if.h) as `ip link` prints it.</summary>
    public string OperStateName => OperState switch
    {
        0 => "UNKNOWN",
        1 => "NOTPRESENT",
        2 => "DOWN",
        3 => "LOWERLAYERDOWN",
        4 => "TESTING",
        5 => "DORMANT",
        6 => "UP",
        _ => OperState.ToString(),
    };

    private static readonly (uint Bit, string Name)[] FlagNames =
    [
        (Iff.Loopback, "LOOPBACK"), (Iff.Broadcast, "BROADCAST"), (Iff.PointToPoint, "POINTOPOINT"),
        (Iff.Multicast, "MULTICAST"), (Iff.NoArp, "NOARP"), (Iff.Promisc, "PROMISC"), (Iff.Up, "UP"),
        (Iff.LowerUp, "LOWER_UP"),
    ];

    public string[] FlagList => FlagNames.Where(f => (Flags & f.Bit) != 0).Select(f => f.Name).ToArray();

    public string? MacText => Address is null || Address.Length == 0 ? null : Mac.Format(Address);
}
