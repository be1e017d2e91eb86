using System.Runtime.InteropServices;
using NetNs.Core.Netlink;

namespace NetNs.Core;

/// <summary>
/// The nf_tables tables of a namespace, read straight over NETLINK_NETFILTER (one dump, no libnftables context and
/// ruleset cache): what lets a reader skip libnftables where NetNs's table does not exist, the common case.
/// Equivalent to: `nft list tables FAMILY`.
/// </summary>
internal static class NfTables
{
    private const int NETLINK_NETFILTER = 12;
    private const int NFNL_SUBSYS_NFTABLES = 10;
    private const int NFT_MSG_NEWTABLE = 0;
    private const int NFT_MSG_GETTABLE = 1;
    private const ushort NFTA_TABLE_NAME = 1;

    /// <summary>nf_tables address families (linux/netfilter.h NFPROTO_*).</summary>
    public const byte Inet = 1, Netdev = 5;

    [StructLayout(LayoutKind.Sequential)]
    private struct NfGenMsg
    {
        public byte Family;
        public byte Version;
        public ushort ResourceId; // big endian; 0
    }

    /// <summary>The names of the tables of <paramref name="family"/> in <paramref name="ns"/> (null: the calling thread's namespace).</summary>
    public static IReadOnlyList<string> List(NamespaceHandle? ns, byte family)
    {
        using var socket = ns is null ? NetlinkSocket.Open(NETLINK_NETFILTER) : NamespaceWorker.Run(ns, () => NetlinkSocket.Open(NETLINK_NETFILTER));
        var req = new MessageWriter((MessageType)((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE), NetlinkFlags.Dump);
        req.Struct(new NfGenMsg { Family = family });
        return socket.Query<string>(req, Parse, new ErrorContext("list nftables tables", ObjectKind.Netlink, null, NamespaceHandle.LabelOf(ns)));
    }

    /// <summary>Whether <paramref name="ns"/> has table <paramref name="name"/> of <paramref name="family"/>.</summary>
    public static bool Exists(NamespaceHandle? ns, byte family, string name) => List(ns, family).Contains(name, StringComparer.Ordinal);

    private static bool Parse(in NetlinkHeader h, ReadOnlySpan<byte> payload, out string name)
    {
        name = "";
        if ((int)h.Type != ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE) || payload.Length < 4)
            return false;
        var attrs = new AttributeReader(payload[4..]);
        while (attrs.Next(out ushort type, out var value))
        {
            if ((type & 0x3fff) == NFTA_TABLE_NAME)
            {
                name = AttributeReader.String(value);
                return true;
            }
        }
        return false;
    }
}
