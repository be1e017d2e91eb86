using NetNs.Core.Interop;

namespace NetNs.Core.Tests;

/// <summary>NamespaceThread.Run and the sysctls read and written through it.</summary>
public class NamespaceThreadTests
{
    internal static FileIdentity CurrentIdentity()
    {
        Assert.True(FileIdentity.TryOfPath(NamespaceHandle.CurrentPath, out var id, out int errno), $"errno {errno}");
        return id;
    }

    private const string RootForward = "/proc/sys/net/ipv4/ip_forward";

    [RootFact]
    public void RunReturnsTheResultFromInsideTheNamespace()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NamespaceHandle.OpenName(ns);
        var before = CurrentIdentity();
        var (inside, tid) = NamespaceThread.Run(h, () => (CurrentIdentity(), Libc.gettid()));
        Assert.Equal(h.Identity, inside);
        Assert.NotEqual(Libc.gettid(), tid); // a dedicated thread, not ours
        Assert.Equal(before, CurrentIdentity());
        // processes started from inside land in the namespace
        string links = NamespaceThread.Run(h, () => Lab.Run("ip", "-o", "link", "show").Out);
        Assert.Contains("lo:", links);
        Assert.Single(links.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [RootFact]
    public void ExceptionIsRethrownOnTheCallerWhichStaysHome()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NamespaceHandle.OpenName(ns);
        var before = CurrentIdentity();
        var e = Assert.Throws<InvalidOperationException>(() => NamespaceThread.Run<int>(h, () => throw new InvalidOperationException("boom inside")));
        Assert.Equal("boom inside", e.Message);
        Assert.Contains(nameof(ExceptionIsRethrownOnTheCallerWhichStaysHome), e.StackTrace); // original stack kept
        Assert.Equal(before, CurrentIdentity());
        var ne = Assert.Throws<NetNsException>(() => NamespaceThread.Run(h, () => Sysctl.Get(null, "net.no.such.key")));
        Assert.Equal(NetNsErrorReason.SysctlNotFound, ne.Reason);
        Assert.Equal(before, CurrentIdentity());
    }

    [RootFact]
    public void RemountSysfsShowsTheNamespacesLinksOnlyOnThatThread()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NamespaceHandle.OpenName(ns);
        using (var rtnl = NetlinkHandle.Open(h))
            rtnl.CreateLink(new LinkSpec { Name = "nt-sysbr", Kind = LinkKind.Bridge });
        string[] Names() => Directory.GetFileSystemEntries("/sys/class/net").Select(Path.GetFileName).Order().ToArray()!;
        var outside = Names();
        var inside = NamespaceThread.Run(h, Names, new NamespaceThreadOptions { RemountSysfs = true });
        Assert.Equal(["lo", "nt-sysbr"], inside);
        Assert.Equal(outside, Names()); // our own /sys is untouched
        Assert.DoesNotContain("nt-sysbr", outside);
        // without the remount, /sys still shows the caller's view
        Assert.DoesNotContain("nt-sysbr", NamespaceThread.Run(h, Names));
    }

    [RootFact]
    public void SysctlIsSetInTheNamespaceOnly()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NamespaceHandle.OpenName(ns);
        string rootBefore = File.ReadAllText(RootForward).Trim();
        Assert.Equal(rootBefore, Sysctl.Get(null, "net.ipv4.ip_forward"));
        Assert.Equal("0", Sysctl.Get(h, "net.ipv4.ip_forward"));
        Sysctl.Set(h, "net.ipv4.ip_forward", "1");
        Assert.Equal("1", Sysctl.Get(h, "net/ipv4/ip_forward"));
        Assert.Equal("1", Ip.Must("netns", "exec", ns, "cat", RootForward).Trim());
        Assert.Equal(rootBefore, File.ReadAllText(RootForward).Trim());
        Assert.Equal(rootBefore, Sysctl.Get(null, "net.ipv4.ip_forward"));
    }

    [RootFact]
    public void SysctlSetByIpIsReadBack()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NamespaceHandle.OpenName(ns);
        Ip.Must("netns", "exec", ns, "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/all/forwarding");
        Assert.Equal("1", Sysctl.Get(h, "net.ipv6.conf.all.forwarding"));
    }

    [RootFact]
    public void SysctlErrors()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        using var h = NamespaceHandle.OpenName(ns);
        var missing = Assert.Throws<NetNsException>(() => Sysctl.Get(h, "net.ipv4.no_such_key"));
        Assert.Equal(NetNsErrorReason.SysctlNotFound, missing.Reason);
        Assert.Equal("sysctl 'net.ipv4.no_such_key' not found", missing.Message);
        Assert.Equal(NetNsErrorReason.SysctlNotFound,
            Assert.Throws<NetNsException>(() => Sysctl.Set(h, "net.ipv4.no_such_key", "1")).Reason);
        // a per-interface key exists only where the interface does
        Assert.Equal(NetNsErrorReason.SysctlNotFound,
            Assert.Throws<NetNsException>(() => Sysctl.Get(h, "net.ipv4.conf.nt-ghost.forwarding")).Reason);
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => Sysctl.Get(h, "kernel.hostname")).Reason);
        Assert.Equal(NetNsErrorReason.InvalidArgument,
            Assert.Throws<NetNsException>(() => Sysctl.Set(h, "net.ipv4.ip_forward", "1\n0")).Reason);
        Assert.Equal("0", Sysctl.Get(h, "net.ipv4.ip_forward"));
        // the kernel refuses a value that is not a number
        Assert.Throws<NetNsException>(() => Sysctl.Set(h, "net.ipv4.ip_forward", "yes"));
        Assert.Equal("0", Sysctl.Get(h, "net.ipv4.ip_forward"));
    }

    private static FileIdentity Self(string ns) =>
        FileIdentity.TryOfPath("/proc/thread-self/ns/" + ns, out var id, out int errno) ? id : throw new IOException($"errno {errno}");

    [RootFact]
    public void AThreadStartedFromInsideANamespaceStartsFromTheProcesssOwnNamespaces()
    {
        // A NetNs thread made by a thread that is inside namespace a, with a private mount namespace (the
        // remounted /sys), must not inherit either: it enters b from the process's original namespaces.
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        using var ans = NamespaceHandle.OpenName(a);
        using var bns = NamespaceHandle.OpenName(b);
        var originalMnt = Self("mnt");
        var (outerMnt, innerNet, innerMnt) = NamespaceThread.Run(ans, () =>
        {
            var outer = Self("mnt");
            var inner = NamespaceThread.Run(bns, () => (Self("net"), Self("mnt")));
            return (outer, inner.Item1, inner.Item2);
        }, new NamespaceThreadOptions { RemountSysfs = true });
        Assert.NotEqual(originalMnt, outerMnt); // the premise: the outer thread had a mount namespace of its own
        Assert.Equal(bns.Identity, innerNet);
        Assert.Equal(originalMnt, innerMnt);
    }

    [RootFact]
    public void NetNsStepsTakenFromInsideANamespaceLeaveNoThreadThere()
    {
        // The worker may be (re)made by a namespace thread; afterwards namespaces are still created and entered
        // correctly, and no NetNs thread is left in a (or its mount namespace).
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        using var ans = NamespaceHandle.OpenName(a);
        using var bns = NamespaceHandle.OpenName(b);
        NamespaceThread.Run(ans, () => Assert.Equal("0", Sysctl.Get(bns, "net.ipv4.ip_forward")), new NamespaceThreadOptions { RemountSysfs = true });
        string c = lab.Namespace();
        using (var h = NetlinkHandle.Open(NamespaceRef.FromName(c)))
            Assert.Equal(["lo"], h.GetLinks().Select(l => l.Name));
        // The joined NamespaceThread that ran in a can stay listed in /proc/self/task for a moment (the kernel lags the
        // join): wait up to 1 s for every NetNs thread to be out of a.
        Assert.True(SpinWait.SpinUntil(() => !NetNsThreadsIn(ans.Identity), TimeSpan.FromSeconds(1)), "a NetNs thread stayed in the namespace");
    }

    private static bool NetNsThreadsIn(FileIdentity ns)
    {
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith("netns", StringComparison.Ordinal)
                    && FileIdentity.TryOfPath(Path.Combine(task, "ns/net"), out var net, out _) && net == ns)
                    return true;
            }
            catch (IOException)
            {
                // ended meanwhile
            }
        }
        return false;
    }
}
