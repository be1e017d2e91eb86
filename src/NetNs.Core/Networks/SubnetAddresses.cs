using System.Net;
using System.Numerics;

namespace NetNs.Core;

/// <summary>Host addresses of a subnet: the gateway (first host) and the next free one, for IPv4 and IPv6.</summary>
internal static class SubnetAddresses
{
    /// <summary>At most this many addresses are tried when looking for a free one (a bound on IPv6's huge subnets).</summary>
    private const int MaxScan = 65536;

    /// <summary>The subnet's first host address (network + 1): the gateway.</summary>
    public static IPAddress Gateway(IPPrefix subnet) => subnet.AddressAt(1);

    /// <summary>The lowest host after the gateway not in <paramref name="used"/>; NoFreeAddress when there is none.</summary>
    public static IPAddress NextFree(IPPrefix subnet, IEnumerable<IPAddress> used, string network)
    {
        var taken = used.ToHashSet();
        BigInteger hosts = HostCount(subnet);
        for (int i = 2; i < hosts && i < MaxScan; i++)
        {
            var a = subnet.AddressAt(i);
            if (!taken.Contains(a))
                return a;
        }
        throw new NetNsException(NetNsErrorReason.NoFreeAddress, "connect network",
            $"network '{network}' has no free address left in {subnet}", network);
    }

    /// <summary>Whether <paramref name="address"/> is a host of <paramref name="subnet"/> other than the gateway (and, for IPv4, not the broadcast).</summary>
    public static bool IsMemberAddress(IPPrefix subnet, IPAddress address)
    {
        if (!subnet.Contains(address))
            return false;
        BigInteger offset = subnet.OffsetOf(address);
        return offset >= 2 && offset < HostCount(subnet);
    }

    // For IPv4 the broadcast address is not a host; for IPv6 every address after the subnet-router anycast (offset 0) is.
    private static BigInteger HostCount(IPPrefix subnet)
    {
        BigInteger size = BigInteger.One << (subnet.MaxLength - subnet.PrefixLength);
        return subnet.Family == IPAddressFamily.IPv4 ? size - 1 : size;
    }
}
