using System.Net;

namespace NetNs.Core;

public sealed partial class NetlinkHandle
{
    /// <summary>
    /// Removes an address found by value: on <paramref name="linkName"/> or on any link, with
    /// <paramref name="prefixLength"/> or whatever prefix it has. AddressNotFound when nothing matches.
    /// Returns what was removed. Equivalent to: `ip addr del ADDR/LEN dev NAME` after `ip addr show to ADDR`.
    /// </summary>
    public IReadOnlyList<NetNsAddress> RemoveAddress(IPAddress address, int? prefixLength = null, string? linkName = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        string text = address.ToString();
        var matches = GetAddresses(linkName)
            .Where(a => a.IPAddress == text && (prefixLength is null || a.PrefixLength == prefixLength))
            .ToList();
        if (matches.Count == 0)
        {
            string target = prefixLength is null ? text : $"{text}/{prefixLength}";
            throw NetNsException.FromErrno("remove", Interop.Errno.EADDRNOTAVAIL, ObjectKind.Address,
                linkName is null ? target : $"{target}' on '{linkName}", NamespaceName);
        }
        foreach (var a in matches)
            DeleteAddress(a.InterfaceAlias, new IPPrefix(address, a.PrefixLength));
        return matches;
    }
}
