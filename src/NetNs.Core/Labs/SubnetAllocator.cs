using System.Net;
using System.Numerics;

namespace NetNs.Core;

/// <summary>
/// The one address allocator of labs and standalone networks. Which address each member of a network or end of a link
/// gets: pinned addresses first, then the gateway the
/// first free host of each subnet, then the other members in the order written. Pure arithmetic over prefixes.
/// </summary>
public static class SubnetAllocator
{
    /// <summary>
    /// The addresses of a network's members, member by member (each with one address per subnet). Errors (a
    /// pinned address outside the subnets, used twice, a subnet too small) go to <paramref name="fail"/> with the key.
    /// </summary>
    public static Dictionary<string, List<IPPrefix>> Network(LabNetworkDefinition network, Func<string, string, Exception> fail)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(fail);
        string key = "Networks." + network.Name;
        var result = network.Members.ToDictionary(m => m.Node, _ => new List<IPPrefix>());
        foreach (var subnet in network.Subnets)
        {
            var used = new HashSet<BigInteger>();
            var given = new Dictionary<string, BigInteger>();
            for (int i = 0; i < network.Members.Count; i++)
            {
                var member = network.Members[i];
                foreach (var pin in member.Pinned.Where(p => Family(p) == subnet.Family))
                {
                    string memberKey = $"{key}.Members[{i}]";
                    if (!subnet.Contains(pin))
                        throw fail(memberKey, $"the address {pin} of '{member.Node}' is not in the subnet {subnet}");
                    var host = subnet.OffsetOf(pin);
                    if (!IsUsableHost(subnet, host))
                        throw fail(memberKey, $"the address {pin} of '{member.Node}' is the network or broadcast address of {subnet}");
                    if (!used.Add(host))
                        throw fail(memberKey, $"the address {pin} is given to two members");
                    if (!given.TryAdd(member.Node, host))
                        throw fail(memberKey, $"'{member.Node}' has two {subnet.Family} addresses pinned");
                }
            }
            foreach (var pin in network.Members.SelectMany(m => m.Pinned).Where(p => network.Subnets.All(s => s.Family != Family(p))))
                throw fail(key + ".Members", $"the pinned address {pin} has no {Family(pin)} subnet in this network");
            var order = network.Members.Where(m => m.Node == network.Gateway).Concat(network.Members.Where(m => m.Node != network.Gateway));
            BigInteger next = FirstHost(subnet);
            foreach (var member in order)
            {
                if (!given.ContainsKey(member.Node))
                {
                    while (used.Contains(next))
                        next++;
                    if (!IsUsableHost(subnet, next))
                        throw fail(key + ".Subnet", $"the subnet {subnet} has too few addresses for {network.Members.Count} members");
                    used.Add(next);
                    given[member.Node] = next;
                }
            }
            foreach (var member in network.Members)
                result[member.Node].Add(new IPPrefix(subnet.AddressAt(given[member.Node]), subnet.PrefixLength));
        }
        return result;
    }

    /// <summary>The two ends' addresses of a link: per subnet, the first host for the first end, the next for the second.</summary>
    public static (List<IPPrefix> A, List<IPPrefix> B) Link(LabLinkDefinition link, string key, Func<string, string, Exception> fail)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(fail);
        var a = new List<IPPrefix>();
        var b = new List<IPPrefix>();
        foreach (var subnet in link.Subnets)
        {
            BigInteger first = FirstHost(subnet);
            if (!IsUsableHost(subnet, first + 1))
                throw fail(key + ".Subnet", $"the subnet {subnet} has fewer than two addresses");
            a.Add(new IPPrefix(subnet.AddressAt(first), subnet.PrefixLength));
            b.Add(new IPPrefix(subnet.AddressAt(first + 1), subnet.PrefixLength));
        }
        return (a, b);
    }

    /// <summary>Whether two prefixes share any address.</summary>
    public static bool Overlap(IPPrefix x, IPPrefix y) =>
        x.Family == y.Family && (x.PrefixLength <= y.PrefixLength ? x : y).Contains((x.PrefixLength <= y.PrefixLength ? y : x).Address);

    /// <summary>IPv4 or IPv6.</summary>
    public static IPAddressFamily Family(IPAddress a) =>
        a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddressFamily.IPv6 : IPAddressFamily.IPv4;

    // A standalone network (New-NetNsNetwork) scans this far for a free member address (a /64 has 2^64).
    private const int MaxScan = 65536;

    /// <summary>A network's gateway address: its first host (on the bridge of a standalone network).</summary>
    public static IPAddress Gateway(IPPrefix subnet) => subnet.AddressAt(FirstHost(subnet));

    /// <summary>
    /// The first member address of <paramref name="subnet"/> after the gateway that is not in <paramref name="used"/>;
    /// NoFreeAddress naming <paramref name="network"/> when there is none.
    /// </summary>
    public static IPAddress NextFree(IPPrefix subnet, IEnumerable<IPAddress> used, string network)
    {
        var taken = used.ToHashSet();
        for (BigInteger i = FirstHost(subnet) + 1; i < FirstHost(subnet) + 1 + MaxScan && IsUsableHost(subnet, i); i++)
        {
            var a = subnet.AddressAt(i);
            if (!taken.Contains(a))
                return a;
        }
        throw new NetNsException(NetNsErrorReason.NoFreeAddress, "connect network",
            $"network '{network}' has no free address left in {subnet}", network);
    }

    /// <summary>Whether <paramref name="address"/> is a member address of <paramref name="subnet"/>: a host after the gateway.</summary>
    public static bool IsMemberAddress(IPPrefix subnet, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!subnet.Contains(address))
            return false;
        BigInteger offset = subnet.OffsetOf(address);
        return offset > FirstHost(subnet) && IsUsableHost(subnet, offset);
    }

    private static int HostBits(IPPrefix p) => p.MaxLength - p.PrefixLength;

    // /31 and /127 (RFC 3021, 6164) use both addresses; otherwise skip the network (and for IPv4 the broadcast) address.
    private static BigInteger FirstHost(IPPrefix p) => HostBits(p) <= 1 ? 0 : 1;

    private static bool IsUsableHost(IPPrefix p, BigInteger host)
    {
        BigInteger size = BigInteger.One << HostBits(p);
        if (HostBits(p) <= 1)
            return host >= 0 && host < size;
        return host >= 1 && host < (p.Family == IPAddressFamily.IPv4 ? size - 1 : size);
    }

}
