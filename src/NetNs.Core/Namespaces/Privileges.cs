using System.Globalization;

namespace NetNs.Core;

/// <summary>Whether the caller holds what NetNs needs: CAP_SYS_ADMIN (setns, mount) and CAP_NET_ADMIN (netlink changes).</summary>
public static class Privileges
{
    private const int CapNetAdmin = 12;
    private const int CapSysAdmin = 21;

    /// <summary>
    /// The capabilities the calling thread lacks, by name (empty when it has them all), read from CapEff in
    /// /proc/thread-self/status (capabilities(7)).
    /// </summary>
    public static IReadOnlyList<string> Missing()
    {
        ulong eff = ReadEffective();
        var missing = new List<string>();
        if ((eff & (1UL << CapSysAdmin)) == 0)
            missing.Add("CAP_SYS_ADMIN");
        if ((eff & (1UL << CapNetAdmin)) == 0)
            missing.Add("CAP_NET_ADMIN");
        return missing;
    }

    /// <summary>Whether the calling thread's effective user id is 0 (it may still lack capabilities).</summary>
    public static bool IsRoot => Interop.Libc.geteuid() == 0;

    private static ulong ReadEffective()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/thread-self/status"))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal)
                    && ulong.TryParse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong v))
                    return v;
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }
}
