using System.Globalization;
using System.Text;
using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>A process seen in a network namespace: its id and command (the comm of /proc/PID/stat).</summary>
public sealed record NetNsProcess(int ProcessId, string Command)
{
    /// <summary>"PID COMMAND".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ProcessId} {Command}");
}

/// <summary>
/// One pass over /proc: every process's network namespace identity (statx of /proc/PID/ns/net) and command.
/// Kernel threads (pid 2 and its children) are left out; processes that vanish, zombies (their ns links are gone)
/// and processes whose links give EACCES (pid 1 in some VMs, others' processes for an unprivileged caller) are
/// skipped. Equivalent to: `lsns -t net` (the processes, grouped by namespace), and `ip netns pids` for one namespace.
/// The one /proc reader of the library.
/// </summary>
public static class NamespaceProcesses
{
    /// <summary>
    /// The ids of the processes whose network namespace has <paramref name="identity"/>.
    /// Equivalent to: `ip netns pids NAME`. Processes that vanish or cannot be read are skipped.
    /// </summary>
    public static IReadOnlyList<int> ProcessIdsIn(FileIdentity identity)
    {
        var pids = new List<int>();
        foreach (int pid in ProcessIds())
        {
            if (FileIdentity.TryOfPath($"/proc/{pid}/ns/net", out var id, out _) && id == identity)
                pids.Add(pid);
        }
        pids.Sort();
        return pids;
    }

    /// <summary>The ids of the processes in a namespace, given a handle on it.</summary>
    public static IReadOnlyList<int> ProcessIdsIn(NamespaceHandle ns) => ProcessIdsIn(ns.Identity);


    /// <summary>The processes of each network namespace, by identity; pids ascending within each.</summary>
    public static Dictionary<FileIdentity, List<NetNsProcess>> Scan(string procRoot = "/proc")
    {
        var result = new Dictionary<FileIdentity, List<NetNsProcess>>();
        var pids = new List<int>();
        foreach (int pid in ProcessIds(procRoot))
            pids.Add(pid);
        pids.Sort();
        foreach (int pid in pids)
        {
            if (!TryReadStat(procRoot, pid, out string comm, out int ppid) || ppid == 2 || pid == 2)
                continue;
            if (!FileIdentity.TryOfPath(string.Create(CultureInfo.InvariantCulture, $"{procRoot}/{pid}/ns/net"), out var id, out _))
                continue;
            if (!result.TryGetValue(id, out var list))
                result[id] = list = [];
            list.Add(new NetNsProcess(pid, comm));
        }
        return result;
    }

    /// <summary>The numeric entries of /proc.</summary>
    internal static IEnumerable<int> ProcessIds(string procRoot = "/proc")
    {
        var options = new EnumerationOptions { IgnoreInaccessible = true, RecurseSubdirectories = false, AttributesToSkip = 0 };
        IEnumerable<string> names;
        try
        {
            names = Directory.EnumerateDirectories(procRoot, "*", options).Select(Path.GetFileName)!;
        }
        catch (IOException)
        {
            yield break;
        }
        foreach (string name in names)
        {
            if (name.Length > 0 && char.IsAsciiDigit(name[0])
                && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                yield return pid;
        }
    }

    // /proc/PID/stat: "PID (COMM) STATE PPID ...". COMM may hold spaces and ')': the last ')' ends it.
    private static unsafe bool TryReadStat(string procRoot, int pid, out string comm, out int ppid)
    {
        comm = "";
        ppid = 0;
        int fd = Libc.open(string.Create(CultureInfo.InvariantCulture, $"{procRoot}/{pid}/stat"), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
            return false;
        byte* buf = stackalloc byte[512];
        nint n;
        try
        {
            n = Libc.read(fd, buf, 512);
        }
        finally
        {
            Libc.close(fd);
        }
        if (n <= 0)
            return false;
        return TryParseStat(new ReadOnlySpan<byte>(buf, (int)n), out comm, out ppid);
    }

    /// <summary>Parses the head of /proc/PID/stat: the command and the parent's pid. False when malformed.</summary>
    internal static bool TryParseStat(ReadOnlySpan<byte> stat, out string comm, out int ppid)
    {
        comm = "";
        ppid = 0;
        int open = stat.IndexOf((byte)'(');
        int close = stat.LastIndexOf((byte)')');
        if (open < 0 || close < open || close + 4 > stat.Length)
            return false;
        comm = Encoding.UTF8.GetString(stat[(open + 1)..close]);
        var rest = stat[(close + 2)..]; // "S PPID ..."
        int sp = rest.IndexOf((byte)' ');
        if (sp < 0)
            return false;
        rest = rest[(sp + 1)..];
        int end = rest.IndexOf((byte)' ');
        return System.Buffers.Text.Utf8Parser.TryParse(end < 0 ? rest : rest[..end], out ppid, out _);
    }
}
