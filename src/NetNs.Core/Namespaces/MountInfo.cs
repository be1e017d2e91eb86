namespace NetNs.Core;

/// <summary>The calling thread's mounts, from /proc/thread-self/mountinfo (proc(5)), in mount order.</summary>
internal static class MountInfo
{
    /// <summary>
    /// Each mount's mount point (field 5) and options (field 6): "36 25 0:21 / /sys rw,nosuid,nodev,noexec,relatime
    /// shared:7 - sysfs sysfs rw". Later lines are mounted on top of earlier ones at the same point.
    /// </summary>
    public static IEnumerable<(string MountPoint, string Options)> Read()
    {
        foreach (string line in File.ReadLines("/proc/thread-self/mountinfo"))
        {
            string[] f = line.Split(' ');
            if (f.Length > 5)
                yield return (f[4], f[5]);
        }
    }
}
