using System.Diagnostics;
using NetNs.Core.Interop;

namespace NetNs.Core.Tests;

/// <summary>Named namespaces under /run/netns, checked against `ip netns` both ways.</summary>
public class NamespaceTests
{
    private static List<string> IpNetnsList() =>
        Ip.Must("netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToList();

    private static FileIdentity IdentityOf(string path)
    {
        Assert.True(FileIdentity.TryOfPath(path, out var id, out int errno), $"stat {path}: errno {errno}");
        return id;
    }

    [RootFact]
    public void CreatedNamespaceIsSeenByIpAndGoneAfterDelete()
    {
        using var lab = new Lab();
        string name = Lab.UniqueName();
        var ns = NamedNamespaces.Create(name);
        lab.Track(name);
        Assert.Equal(name, ns.Name);
        Assert.Equal("/run/netns/" + name, ns.Path);
        Assert.Contains(name, IpNetnsList());
        Assert.True(NamedNamespaces.Exists(name));
        Assert.Contains(NamespaceCatalog.List(), n => n.Name == name && n.Inode == ns.Inode);
        Assert.Equal(IdentityOf(ns.Path), new FileIdentity(ns.Device, ns.Inode));
        // a fresh namespace has only a down loopback
        var links = Ip.Links(name);
        Assert.Equal(["lo"], links.Keys);
        Assert.DoesNotContain("UP", links["lo"].Flags());
        // and it is not ours
        Assert.NotEqual(IdentityOf(NamespaceHandle.CurrentPath), IdentityOf(ns.Path));

        NamedNamespaces.Delete(name);
        Assert.DoesNotContain(name, IpNetnsList());
        Assert.False(NamedNamespaces.Exists(name));
        Assert.False(File.Exists(ns.Path));
        Assert.DoesNotContain(NamespaceCatalog.List(), n => n.Name == name);
    }

    [RootFact]
    public void NamespaceMadeByIpIsSeenAndDeletable()
    {
        using var lab = new Lab();
        string name = lab.Track(Lab.UniqueName());
        Ip.Must("netns", "add", name);
        Assert.True(NamedNamespaces.Exists(name));
        Assert.Contains(name, NamedNamespaces.ListNames());
        var listed = Assert.Single(NamespaceCatalog.List(), n => n.Name == name);
        using var h = NamespaceHandle.OpenName(name);
        Assert.Equal(name, h.Name);
        Assert.Equal(IdentityOf("/run/netns/" + name), h.Identity);
        Assert.Equal(h.Identity, new FileIdentity(listed.Device, listed.Inode));
        Assert.False(h.IsCurrent);
        // ip's namespace really is the one the handle enters
        Ip.Must("-n", name, "link", "add", "nt-mark", "type", "bridge");
        using var rtnl = NetlinkHandle.Open(h);
        Assert.Contains(rtnl.GetLinks(), l => l.Name == "nt-mark");

        NamedNamespaces.Delete(name);
        Assert.DoesNotContain(name, IpNetnsList());
    }

    [RootFact]
    public void HandlesOnTheSameNamespaceAreEqual()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        using var byName = NamespaceHandle.OpenName(a);
        using var byPath = NamespaceHandle.OpenPath("/run/netns/" + a);
        using var other = NamespaceHandle.OpenName(b);
        using var current = NamespaceHandle.OpenCurrent();
        Assert.Equal(byName, byPath);
        Assert.Equal(byName.GetHashCode(), byPath.GetHashCode());
        Assert.NotEqual(byName, other);
        Assert.True(current.IsCurrent);
        Assert.False(byName.IsCurrent);
        Assert.Equal(IdentityOf("/proc/self/ns/net"), current.Identity);
    }

    [RootFact]
    public void DeletingAMissingNamespaceIsNamespaceNotFound()
    {
        string name = Lab.UniqueName();
        var e = Assert.Throws<NetNsException>(() => NamedNamespaces.Delete(name));
        Assert.Equal(NetNsErrorReason.NamespaceNotFound, e.Reason);
        Assert.Equal($"namespace '{name}' not found", e.Message);
        Assert.Equal(NetNsErrorReason.NamespaceNotFound, Assert.Throws<NetNsException>(() => NamespaceHandle.OpenName(name)).Reason);
        Assert.Equal(NetNsErrorReason.NamespaceNotFound, Assert.Throws<NetNsException>(() => NamespaceCatalog.Describe(name)).Reason);
        Assert.False(NamedNamespaces.Exists(name));
    }

    [RootFact]
    public void CreatingAnExistingNamespaceIsNamespaceExistsAndLeavesItAlone()
    {
        using var lab = new Lab();
        string name = lab.Namespace();
        var before = IdentityOf("/run/netns/" + name);
        var e = Assert.Throws<NetNsException>(() => NamedNamespaces.Create(name));
        Assert.Equal(NetNsErrorReason.NamespaceExists, e.Reason);
        Assert.Equal($"namespace '{name}' already exists", e.Message);
        Assert.Equal(before, IdentityOf("/run/netns/" + name));
        Assert.Single(IpNetnsList(), n => n == name);
        Assert.NotEqual(0, Lab.Run("ip", "netns", "add", name).Code); // ip agrees it is taken
    }

    [RootFact]
    public void OpeningAPlainFileIsInvalidArgument()
    {
        string file = Path.GetTempFileName();
        try
        {
            var e = Assert.Throws<NetNsException>(() => NamespaceHandle.OpenPath(file));
            Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
            Assert.Contains("not a network namespace", e.Message);
            // another kind of namespace file is not a network namespace either
            Assert.Equal(NetNsErrorReason.InvalidArgument,
                Assert.Throws<NetNsException>(() => NamespaceHandle.OpenPath("/proc/self/ns/uts")).Reason);
            Assert.Equal(NetNsErrorReason.NamespaceNotFound,
                Assert.Throws<NetNsException>(() => NamespaceHandle.OpenPath(file + ".missing")).Reason);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Starts `ip netns exec NS sleep 30` and waits (bounded) until the process is inside NS.</summary>
    internal static Process StartSleeperIn(string ns)
    {
        var p = Process.Start(new ProcessStartInfo("ip") { ArgumentList = { "netns", "exec", ns, "sleep", "30" } })!;
        var want = IdentityOf("/run/netns/" + ns);
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (FileIdentity.TryOfPath($"/proc/{p.Id}/ns/net", out var id, out _) && id == want
                && File.ReadAllText($"/proc/{p.Id}/comm").Trim() == "sleep")
                return p;
            Thread.Sleep(10);
        }
        Stop(p);
        throw new TimeoutException($"process {p.Id} did not enter namespace {ns} within 5 s");
    }

    internal static void Stop(Process p)
    {
        try
        {
            p.Kill();
            p.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        p.Dispose();
    }

    [RootFact]
    public void AttachNamesAProcesssNamespaceAndIdentifyFindsIt()
    {
        using var lab = new Lab();
        string ns = lab.Namespace();
        var sleeper = StartSleeperIn(ns);
        try
        {
            using (var identified = NamespaceHandle.OpenProcess(sleeper.Id))
                Assert.Equal(ns, identified.Name);
            using var original = NamespaceHandle.OpenName(ns);
            Assert.Contains(sleeper.Id, NamespaceProcesses.ProcessIdsIn(original));
            Assert.DoesNotContain(Environment.ProcessId, NamespaceProcesses.ProcessIdsIn(original));
            Assert.Contains(Environment.ProcessId, NamespaceProcesses.ProcessIdsIn(IdentityOf("/proc/self/ns/net")));

            string alias = lab.Track(Lab.UniqueName());
            var attached = NamedNamespaces.Attach(alias, sleeper.Id);
            Assert.Equal(alias, attached.Name);
            Assert.Equal(sleeper.Id, attached.ProcessId);
            Assert.Contains(alias, IpNetnsList());
            using var byAlias = NamespaceHandle.OpenName(alias);
            Assert.Equal(original, byAlias);
            Assert.Equal(original.Identity.Inode, attached.Inode);

            // like `ip netns identify PID`: every name of the process's namespace, each with the process
            var identified2 = NamespaceCatalog.Identify(sleeper.Id);
            Assert.Equal(new[] { ns, alias }.Order(StringComparer.Ordinal), identified2.Select(n => n.Name));
            Assert.All(identified2, n => Assert.Equal(sleeper.Id, n.ProcessId));
            // iproute2 6.1 prints only one of the names; it must be one of ours
            string ipName = Lab.Run("ip", "netns", "identify", sleeper.Id.ToString()).Out.Trim();
            Assert.Contains(ipName, identified2.Select(n => n.Name));

            // the name outlives the process
            Stop(sleeper);
            using var after = NamespaceHandle.OpenName(alias);
            Assert.Equal(original, after);
        }
        finally
        {
            Stop(sleeper);
        }
    }

    [RootFact]
    public void AttachOfAMissingProcessIsNamespaceNotFoundAndCreatesNothing()
    {
        string alias = Lab.UniqueName();
        var e = Assert.Throws<NetNsException>(() => NamedNamespaces.Attach(alias, int.MaxValue));
        Assert.Equal(NetNsErrorReason.NamespaceNotFound, e.Reason);
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => NamedNamespaces.Attach(alias, 0)).Reason);
        Assert.False(File.Exists("/run/netns/" + alias));
    }

    [RootFact]
    public void AttachFileOfAPlainFileCreatesNothing()
    {
        string alias = Lab.UniqueName();
        string file = Path.GetTempFileName();
        try
        {
            Assert.Equal(NetNsErrorReason.InvalidArgument,
                Assert.Throws<NetNsException>(() => NamedNamespaces.AttachFile(alias, file)).Reason);
            Assert.False(File.Exists("/run/netns/" + alias));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [RootFact]
    public void OpenProcessChecksThePid()
    {
        using var self = NamespaceHandle.OpenProcess(Environment.ProcessId);
        Assert.True(self.IsCurrent);
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => NamespaceHandle.OpenProcess(0)).Reason);
        Assert.Equal(NetNsErrorReason.NamespaceNotFound, Assert.Throws<NetNsException>(() => NamespaceHandle.OpenProcess(int.MaxValue)).Reason);
    }

    private static int MountsOn(string mountPoint) =>
        File.ReadLines("/proc/thread-self/mountinfo").Count(l => l.Split(' ') is { Length: > 4 } f && f[4] == mountPoint);

    [RootFact]
    public void DeleteUnmountsEveryLayerStackedOnTheFile()
    {
        using var lab = new Lab();
        string name = Lab.UniqueName();
        NamedNamespaces.Create(name);
        lab.Track(name);
        string path = NamedNamespaces.PathOf(name);
        Assert.Equal(0, Lab.Run("mount", "--bind", path, path).Code); // a second bind on top, as a crashed tool may leave
        Assert.Equal(2, MountsOn(path));
        NamedNamespaces.Delete(name);
        Assert.False(File.Exists(path));
        Assert.Equal(0, MountsOn(path));
    }

    [RootFact]
    public void ParallelCreationsStackNoMountsOnRunNetns()
    {
        using var lab = new Lab();
        NamedNamespaces.Create(lab.Track(Lab.UniqueName())); // /run/netns is set up by now
        int before = MountsOn(NamedNamespaces.RunDirectory);
        Assert.True(before >= 1, "/run/netns is not a mount point after a creation");
        var names = Enumerable.Range(0, 50).Select(_ => lab.Track(Lab.UniqueName())).ToList();
        Parallel.ForEach(names, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n => NamedNamespaces.Create(n));
        Assert.All(names, n => Assert.True(NamedNamespaces.Exists(n)));
        Assert.Equal(before, MountsOn(NamedNamespaces.RunDirectory));
    }
}
