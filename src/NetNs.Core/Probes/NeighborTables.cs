using System.Globalization;
using System.Net.Sockets;

namespace NetNs.Core;

/// <summary>
/// The host's neighbour tables (ARP for IPv4, NDP for IPv6) as a prober must see them: ONE table per family for the
/// whole host, shared by every network namespace, with one limit (net.ipv4|ipv6.neigh.default.gc_thresh3, 1024 by
/// default, set in the initial namespace only). When it is full, a namespace that needs a new entry (to send a
/// request, or to answer one) has its packet dropped (IPv4: ENOBUFS, hidden from a raw socket; IPv6: EINVAL), and
/// the kernel counts a "table full" (the table_fulls column of /proc/net/stat/arp_cache and ndisc_cache, which exist
/// in the initial namespace only). An entry can be reclaimed only once it is 5 s old (neigh_forced_gc), so the host
/// makes at most about gc_thresh3 new entries per 5 s. Read-only: nothing here changes a sysctl.
/// </summary>
public static class NeighborTables
{
    /// <summary>How long an entry stays unreclaimable after it was made or confirmed (the kernel's 5 * HZ).</summary>
    public static readonly TimeSpan ReclaimAge = TimeSpan.FromSeconds(5);

    /// <summary>The limit when it cannot be read (the kernel's default).</summary>
    public const int DefaultLimit = 1024;

    /// <summary>
    /// Overflows of the family's table so far (the sum of table_fulls over the CPUs); null when the statistics cannot
    /// be read (the process is not in the initial namespace). Equivalent to: `lnstat -f arp_cache -k table_fulls`.
    /// </summary>
    public static long? Overflows(AddressFamily family) => ReadStat(family) is { } s ? s.Overflows : null;

    /// <summary>Entries in the family's table now (all namespaces); null when it cannot be read.</summary>
    public static long? Entries(AddressFamily family) => ReadStat(family) is { } s ? s.Entries : null;

    /// <summary>The family's gc_thresh3 as the initial namespace has it, else <see cref="DefaultLimit"/>.</summary>
    public static int Limit(AddressFamily family)
    {
        string v = family == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";
        try
        {
            // Shown in the initial namespace only (/proc/sys/net follows the calling thread's namespace).
            string path = $"/proc/sys/net/{v}/neigh/default/gc_thresh3";
            if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
                return n;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return DefaultLimit;
    }

    /// <summary>Overflows of both families so far (IPv4, IPv6); a family is null when it cannot be read.</summary>
    public static (long? V4, long? V6) Snapshot() => (Overflows(AddressFamily.InterNetwork), Overflows(AddressFamily.InterNetworkV6));

    private static (long Entries, long Overflows)? ReadStat(AddressFamily family)
    {
        string table = family == AddressFamily.InterNetworkV6 ? "ndisc_cache" : "arp_cache";
        try
        {
            // The process's own view first (/proc/net is the main thread's namespace), then the initial namespace's.
            foreach (string path in new[] { $"/proc/net/stat/{table}", $"/proc/1/net/stat/{table}" })
            {
                if (File.Exists(path) && Parse(File.ReadAllLines(path)) is { } parsed)
                    return parsed;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>
    /// Parses /proc/net/stat/arp_cache: a header line naming the columns, then one line of hex numbers per CPU;
    /// "entries" is the table's (the same on every line), "table_fulls" is per CPU and summed.
    /// </summary>
    internal static (long Entries, long Overflows)? Parse(IReadOnlyList<string> lines)
    {
        if (lines.Count < 2)
            return null;
        var header = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int entries = Array.IndexOf(header, "entries"), fulls = Array.IndexOf(header, "table_fulls");
        if (entries < 0 || fulls < 0)
            return null;
        long total = 0, count = 0;
        for (int i = 1; i < lines.Count; i++)
        {
            var cols = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length <= Math.Max(entries, fulls)
                || !long.TryParse(cols[fulls], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long f)
                || !long.TryParse(cols[entries], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long e))
                return null;
            total += f;
            count = e;
        }
        return (count, total);
    }
}
