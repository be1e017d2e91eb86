using System.Text;
using NetNs.Core.Netlink;

namespace NetNs.Core;

// A link's alias (IFLA_IFALIAS): free text the kernel keeps with the link, which labs use as their tag.
public sealed partial class NetlinkHandle
{
    /// <summary>IFALIASZ - 1 (linux/if.h): the longest alias, in bytes.</summary>
    public const int MaxAliasBytes = 255;

    /// <summary>
    /// Sets (or with "" clears) a link's alias, and with <paramref name="up"/> its state, in one request.
    /// Equivalent to: `ip link set NAME alias TEXT [up|down]`.
    /// </summary>
    public void SetLinkAlias(string name, string alias, bool? up = null)
    {
        Names.CheckInterfaceName(name, "set alias");
        ArgumentNullException.ThrowIfNull(alias);
        byte[] text = Encoding.UTF8.GetBytes(alias);
        if (text.Length > MaxAliasBytes || alias.Contains('\0'))
            throw NetNsException.Invalid("set alias", name, $"an alias is at most {MaxAliasBytes} bytes, without NUL (got {text.Length})");
        var req = new MessageWriter(MessageType.NewLink, NetlinkFlags.None);
        req.Struct(up is bool u ? new IfInfoMsg { Flags = u ? Iff.Up : 0, Change = Iff.Up } : new IfInfoMsg());
        req.String(Ifla.IfName, name);
        req.Bytes(Ifla.IfAlias, text); // as iproute2 sends it: the bytes without a NUL
        _socket.Execute(req, Context("set the alias of", ObjectKind.Link, name));
    }
}
