using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>Finds processes by network namespace, scanning /proc (`ip netns pids` / `ip netns identify`).</summary>
public static class ProcessScan
{
    /// <summary>
    /// The ids of the processes whose network namespace has <paramref name="identity"/>.
    /// Equivalent to: `ip netns pids NAME`. Processes that vanish or cannot be read are skipped.
    /// </summary>
    public static IReadOnlyList<int> ProcessIdsIn(FileIdentity identity)
    {
        var pids = new List<int>();
        foreach (int pid in AllProcessIds())
        {
            if (FileIdentity.TryOfPath($"/proc/{pid}/ns/net", out var id, out _) && id == identity)
                pids.Add(pid);
        }
        pids.Sort();
        return pids;
    }

    /// <summary>The ids of the processes in a namespace, given a handle on it.</summary>
    public static IReadOnlyList<int> ProcessIdsIn(NamespaceHandle ns) => ProcessIdsIn(ns.Identity);

    internal static IEnumerable<int> AllProcessIds() => ProcScan.ProcessIds();
}
