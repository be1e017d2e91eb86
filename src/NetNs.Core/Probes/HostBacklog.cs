using System.Globalization;

namespace NetNs.Core;

/// <summary>
/// The host's input backlog as a prober must see it: a packet a veth hands to its peer waits in the receiving CPU's
/// backlog queue (net.core.netdev_max_backlog, 1000 by default), and when that is full the kernel drops it and counts
/// a drop (the second column of /proc/net/softnet_stat, per CPU). Many new neighbours resolved at once on a big bridge
/// make such bursts: each ARP request is flooded to every port (64 at once on a 200-port bridge: about 12 700 copies),
/// and a dropped request is sent again only after 1 s. Read-only.
/// </summary>
public static class HostBacklog
{
    /// <summary>Packets dropped so far for a full backlog, all CPUs; null when it cannot be read. Equivalent to: summing `awk '{print $2}' /proc/net/softnet_stat`.</summary>
    public static long? Dropped()
    {
        try
        {
            return Parse(File.ReadAllLines("/proc/net/softnet_stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Parses /proc/net/softnet_stat: one line of hex columns per CPU, the second the drops.</summary>
    internal static long? Parse(IReadOnlyList<string> lines)
    {
        long total = 0;
        foreach (string line in lines)
        {
            var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length < 2 || !long.TryParse(cols[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long dropped))
                return null;
            total += dropped;
        }
        return lines.Count > 0 ? total : null;
    }
}
