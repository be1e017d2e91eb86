using System.Globalization;

namespace NetNs.Core;

/// <summary>
/// The kernel's neighbour tables (ARP: arp_cache; NDP: ndisc_cache) are one per address family for the whole machine,
/// shared by every namespace, and hold at most net.ipv4.neigh.default.gc_thresh3 entries (1024 by default; settable only
/// in the root namespace). Past it, a new neighbour cannot be made: IPv4 packets to it are dropped (IpOutDiscards) and
/// IPv6 sends fail with EINVAL, and the kernel logs "neighbor table overflow!". An entry becomes evictable only 5 s after
/// it was last updated. A lab whose nodes all talk to each other at once (50 nodes on one segment: 2450 entries a
/// family) runs into it; <see cref="TableFulls"/> tells whether it did, from /proc/net/stat/{arp_cache,ndisc_cache}.
/// </summary>
public static class NeighbourTables
{
    /// <summary>How many times the kernel found a neighbour table full so far (both families, summed over CPUs).</summary>
    public static long TableFulls() => Read("/proc/net/stat/arp_cache") + Read("/proc/net/stat/ndisc_cache");

    // A header line naming the columns, then one line of hex counters per CPU.
    private static long Read(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            if (lines.Length < 2)
                return 0;
            int column = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "table_fulls");
            if (column < 0)
                return 0;
            long sum = 0;
            foreach (string line in lines.Skip(1))
            {
                var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (column < cells.Length && long.TryParse(cells[column], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long v))
                    sum += v;
            }
            return sum;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
