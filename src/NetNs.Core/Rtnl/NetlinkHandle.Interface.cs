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
        SetInterfaceAddresses(linkName, addresses, defaultGateway, options, readBack: true, add: false)!;

    /// <summary>
    /// <see cref="SetInterfaceAddresses(string, IReadOnlyList{IPPrefix}, IPAddress?, AddressOptions?)"/> without reading
    /// the addresses back (for a caller that writes nothing): one address alone is then two requests, the link's index
    /// and the `ip addr replace`; the addresses already there are only listed when a later step could need a rollback.
    /// </summary>
    public void EnsureInterfaceAddresses(string linkName, IReadOnlyList<IPPrefix> addresses,
        IPAddress? defaultGateway = null, AddressOptions? options = null) =>
        SetInterfaceAddresses(linkName, addresses, defaultGateway, options, readBack: false, add: false);

    /// <summary>
    /// Adds <paramref name="addresses"/> to a link and, with <paramref name="defaultGateway"/>, a default route through
    /// it: AddressExists (or RouteExists) when one is there already. All or nothing: a failed step removes what this
    /// call added. Equivalent to: `ip addr add ADDR/LEN dev NAME` for each, then `ip route add default via GW dev NAME`
    /// (New-NetIPAddress -DefaultGateway on Windows).
    /// </summary>
    public IReadOnlyList<NetNsAddress> AddInterfaceAddresses(string linkName, IReadOnlyList<IPPrefix> addresses,
        IPAddress? defaultGateway = null, AddressOptions? options = null) =>
        SetInterfaceAddresses(linkName, addresses, defaultGateway, options, readBack: true, add: true)!;

    private List<NetNsAddress>? SetInterfaceAddresses(string linkName, IReadOnlyList<IPPrefix> addresses,
        IPAddress? defaultGateway, AddressOptions? options, bool readBack, bool add)
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
                var written = add
                    ? WriteAddress(index, linkName, prefix, options, NetlinkFlags.Create | NetlinkFlags.Excl, "add", readBack)
                    : WriteAddress(index, linkName, prefix, options, NetlinkFlags.Create | NetlinkFlags.Replace, "set", readBack);
                if (written is not null)
                    result!.Add(written);
                if (rollback && !before.Contains(prefix.ToString()))
                    added.Add(prefix);
            }
            if (defaultGateway is not null)
            {
                bool v4 = defaultGateway.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
                var route = new RouteSpec
                {
                    Destination = new IPPrefix(v4 ? IPAddress.Any : IPAddress.IPv6Any, 0),
                    Gateway = defaultGateway,
                    InterfaceName = linkName,
                };
                if (add)
                    AddRoute(route);
                else
                    ReplaceRoute(route);
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
