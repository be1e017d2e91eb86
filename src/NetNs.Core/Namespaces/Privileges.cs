namespace NetNs.Core;

/// <summary>Whether the caller holds what NetNs needs: CAP_SYS_ADMIN (setns, mount) and CAP_NET_ADMIN (netlink changes).</summary>
public static class Privileges
{
    private const int CapNetAdmin = 12;
    private const int CapSysAdmin = 21;
    private static readonly IReadOnlyList<string> None = [];

    /// <summary>
    /// The capabilities the calling thread lacks, by name (empty when it has them all): its effective set, read
    /// with one capget(2) call (what CapEff in /proc/thread-self/status shows; capabilities(7)). Cheap enough for
    /// every cmdlet call, and never stale: a thread can drop capabilities at any time.
    /// </summary>
    public static IReadOnlyList<string> Missing()
    {
        ulong eff = ReadEffective();
        bool sys = (eff & (1UL << CapSysAdmin)) != 0, net = (eff & (1UL << CapNetAdmin)) != 0;
        if (sys && net)
            return None;
        var missing = new List<string>(2);
        if (!sys)
            missing.Add("CAP_SYS_ADMIN");
        if (!net)
            missing.Add("CAP_NET_ADMIN");
        return missing;
    }

    /// <summary>Whether the calling thread's effective user id is 0 (it may still lack capabilities).</summary>
    public static bool IsRoot => Interop.Libc.geteuid() == 0;

    private static unsafe ulong ReadEffective()
    {
        uint* header = stackalloc uint[2];
        uint* data = stackalloc uint[6];
        header[0] = Interop.Libc.LINUX_CAPABILITY_VERSION_3;
        header[1] = 0;
        if (Interop.Libc.capget(header, data) != 0)
            return 0;
        return data[0] | ((ulong)data[3] << 32); // data[0].effective, data[1].effective
    }
}
