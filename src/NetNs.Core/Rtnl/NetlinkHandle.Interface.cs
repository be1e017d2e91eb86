using System.Net;
using NetNs.Core.Netlink;

namespace NetNs.Core;

public sealed partial class NetlinkHandle
{
    /// <summary>
    /// Ensures <paramref name="addresses"/> are on a link and, with <paramref name="defaultGateway"/>, the
    /// default route of its family through it out of that link. All or nothing: if any step fails, the
    /// addresses this call added are removed again (ones that were there before stay).
    /// Equivalent to: `ip addr replace ADDR/LEN dev NAME` for each, then `ip route replace default via GW dev NAME`.
    /// </summary>
    public IReadOnlyList<NetNsAddress> SetInterfaceAddresses(string linkName, IReadOnlyList<IPPrefix> addresses,
        IPAddress? defaultGateway = null, AddressOptions? options = null) =>
        SetInterfaceAddresses(linkName, addresses, defaultGateway, options, readBack: true)!;

    /// <summary>
    /// <see cref="SetInterfaceAddresses(string, IReadOnlyList{IPPrefix}, IPAddress?, AddressOptions?)"/> without reading
    /// the addresses back (for a caller that writes nothing): one address alone is then two requests, the link's index
    /// and the `ip addr replace`; the addresses already there are only listed when a later step could need a rollback.
    /// </summary>
    public void EnsureInterfaceAddresses(string linkName, IReadOnlyList<IPPrefix> addresses,
        IPAddress? defaultGateway = null, AddressOptions? options = null) =>
        SetInterfaceAddresses(linkName, addresses, defaultGateway, options, readBack: false);

    private List<NetNsAddress>? SetInterfaceAddresses(string linkName, IReadOnlyList<IPPrefix> addresses,
        IPAddress? defaultGateway, AddressOptions? options, bool readBack)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        int index = GetLinkIndex(linkName);
        // Only a step after an address can fail after it was added: with a single step there is nothing to roll back.
        bool rollback = addresses.Count + (defaultGateway is null ? 0 : 1) > 1;
        var before = rollback ? GetAddresses(index, linkName, null).Select(a => a.ToString()).ToHashSet() : [];
        var result = readBack ? new List<NetNsAddress>() : null;
        var added = new List<IPPrefix>();
        try
        {
            foreach (var prefix in addresses)
            {
                var written = WriteAddress(index, linkName, prefix, options, NetlinkFlags.Create | NetlinkFlags.Replace, "set", readBack);
                if (written is not null)
                    result!.Add(written);
                if (rollback && !before.Contains(prefix.ToString()))
                    added.Add(prefix);
            }
            if (defaultGateway is not null)
            {
                bool v4 = defaultGateway.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
                ReplaceRoute(new RouteSpec
                {
                    Destination = new IPPrefix(v4 ? IPAddress.Any : IPAddress.IPv6Any, 0),
                    Gateway = defaultGateway,
                    InterfaceName = linkName,
                });
            }
            return result;
        }
        catch (NetNsException)
        {
            foreach (var prefix in added)
            {
                try
                {
                    DeleteAddress(linkName, prefix);
                }
                catch (NetNsException)
                {
                    // best effort: the original error is what the caller needs to see
                }
            }
            throw;
        }
    }
}
