using System.Net;

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
        IPAddress? defaultGateway = null, AddressOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        int index = GetLinkIndex(linkName);
        var before = GetAddresses(index, linkName, null).Select(a => a.ToString()).ToHashSet();
        var result = new List<NetNsAddress>();
        var added = new List<IPPrefix>();
        try
        {
            foreach (var prefix in addresses)
            {
                result.Add(ReplaceAddress(linkName, prefix, options));
                if (!before.Contains(prefix.ToString()))
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
