using NetNs.Core.Interop;

namespace NetNs.Core.Tests;

/// <summary>
/// The netlink handle cache the cmdlets share: a namespace re-created under its name is seen fresh, parallel users
/// share it safely, handles to deleted namespaces are dropped, and 5000 calls grow no descriptors or threads.
/// </summary>
[Collection(nameof(NetlinkHandleCacheTests))] // counts /proc/self/fd and /proc/self/task: nothing else may run beside
public sealed class NetlinkHandleCacheTests
{
    private static FileIdentity IdentityOf(string name) =>
        FileIdentity.TryOfPath(NamedNamespaces.PathOf(name), out var id, out int errno) ? id : throw new IOException($"errno {errno}");

    private static T With<T>(NamespaceRef r, Func<NetlinkHandle, T> use)
    {
        using var lease = NetlinkHandleCache.Acquire(r);
        return use(lease.Handle);
    }

    [RootFact]
    public void TheSecondCallReusesTheHandleAndDisposingItLeavesItOpenForTheOthers()
    {
        using var lab = new Lab();
        var r = NamespaceRef.FromName(lab.Namespace());
        NetlinkHandle first;
        using (var lease = NetlinkHandleCache.Acquire(r))
        {
            first = lease.Handle;
            first.Dispose(); // a careless user: the cache owns it
        }
        using (var again = NetlinkHandleCache.Acquire(r))
        {
            Assert.Same(first, again.Handle);
            again.Handle.SetLinkState("lo", true);
            Assert.Equal(LinkState.Up, again.Handle.GetLink("lo").State);
            Assert.Equal(r.Value, again.Handle.NamespaceName);
        }
    }

    [RootFact]
    public void ANamespaceDeletedAndRecreatedUnderTheSameNameIsSeenFresh()
    {
        using var lab = new Lab();
        string name = lab.Namespace();
        var r = NamespaceRef.FromName(name);
        var old = IdentityOf(name);
        With(r, h => { h.SetLinkState("lo", true); return 0; });

        // Behind NetNs's back, with iproute2: the cache cannot have been told.
        Assert.Equal(0, Lab.Run("ip", "netns", "delete", name).Code);
        Assert.Equal(0, Lab.Run("ip", "netns", "add", name).Code);
        var fresh = IdentityOf(name);
        Assert.NotEqual(old, fresh);
        With(r, h =>
        {
            Assert.Equal(fresh, h.Namespace!.Identity);
            Assert.Equal(LinkState.Down, h.GetLink("lo").State); // the new namespace's own loopback, still down
            return 0;
        });
        Assert.True(SpinWait.SpinUntil(() => { NetlinkHandleCache.Sweep(); return !NetlinkHandleCache.Holds(old); }, TimeSpan.FromSeconds(5)),
            "the handle on the deleted namespace is still cached");

        // And through NetNs: Delete drops the handles at once, no sweep needed.
        NamedNamespaces.Delete(name);
        Assert.False(NetlinkHandleCache.Holds(fresh));
        NamedNamespaces.Create(name);
        Assert.Equal(LinkState.Down, With(r, h => h.GetLink("lo").State));
    }

    [RootFact]
    public void CreateNamespaceCachesAHandleWhoseSocketIsInTheNewNamespace()
    {
        using var lab = new Lab();
        string name = lab.Track(Lab.UniqueName());
        var made = NetlinkHandleCache.CreateNamespace(name);
        var id = IdentityOf(name);
        Assert.Equal((name, id.Inode, id.Device), (made.Name, made.Inode, made.Device));
        Assert.True(NetlinkHandleCache.Holds(id), "no handle was cached for the namespace just made");

        // The cached socket is the new namespace's: a change through it shows up there, and nowhere else.
        With(NamespaceRef.FromName(name), h =>
        {
            Assert.Equal(id, h.Namespace!.Identity);
            h.CreateVeth(new VethSpec { Name = "c0", PeerName = "c1" });
            return 0;
        });
        var links = Lab.Run("ip", "-n", name, "-o", "link", "show").Out;
        Assert.Contains(": c0@c1:", links);
        Assert.DoesNotContain(": c0@", Lab.Run("ip", "-o", "link", "show").Out);

        // Deleting it drops the handle at once and nothing keeps the namespace alive.
        NamedNamespaces.Delete(name);
        Assert.False(NetlinkHandleCache.Holds(id));
        Assert.False(File.Exists(NamedNamespaces.PathOf(name)));
    }

    [RootFact]
    public void AHandleToADeletedNamespaceIsDroppedAndDoesNotKeepItAlive()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        var ra = NamespaceRef.FromName(a);
        var id = IdentityOf(a);
        // A veth between a and b: when a is really destroyed, its end goes and takes b's end with it.
        using (var nsb = NamespaceHandle.OpenName(b))
            With(ra, h => h.CreateVeth(new VethSpec { Name = "x0", PeerName = "x1", PeerNamespace = nsb }));
        Assert.True(NetlinkHandleCache.Holds(id));

        Assert.Equal(0, Lab.Run("ip", "netns", "delete", a).Code);
        Assert.True(SpinWait.SpinUntil(() => !NetlinkHandleCache.Holds(id), TimeSpan.FromSeconds(5)),
            "the sweep did not drop the handle on the deleted namespace");
        using var hb = NetlinkHandle.Open(NamespaceRef.FromName(b));
        Assert.True(SpinWait.SpinUntil(() => !hb.GetLinks().Any(l => l.Name == "x1"), TimeSpan.FromSeconds(10)),
            "the deleted namespace was kept alive (its veth end is still there)");
    }

    [RootFact]
    public void IdleHandlesAreClosedAndTheCacheStaysBounded()
    {
        var (idle, capacity) = (NetlinkHandleCache.IdleTimeout, NetlinkHandleCache.Capacity);
        try
        {
            using var lab = new Lab();
            var names = Enumerable.Range(0, 4).Select(_ => lab.Namespace()).ToList();
            NetlinkHandleCache.Capacity = 2;
            foreach (string n in names)
                With(NamespaceRef.FromName(n), h => h.GetLinkIndex("lo"));
            Assert.Equal(2, names.Count(n => NetlinkHandleCache.Holds(IdentityOf(n))));
            Assert.True(NetlinkHandleCache.Holds(IdentityOf(names[^1]))); // the least recently used went first

            NetlinkHandleCache.IdleTimeout = TimeSpan.FromMilliseconds(100);
            Assert.True(SpinWait.SpinUntil(() => NetlinkHandleCache.Count == 0, TimeSpan.FromSeconds(5)), "idle handles were not closed");
        }
        finally
        {
            (NetlinkHandleCache.IdleTimeout, NetlinkHandleCache.Capacity) = (idle, capacity);
        }
    }

    [RootFact]
    public void EightThreadsShareTheCache()
    {
        using var lab = new Lab();
        var shared = Enumerable.Range(0, 2).Select(_ => NamespaceRef.FromName(lab.Namespace())).ToList();
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            try
            {
                for (int i = 0; i < 300; i++)
                {
                    var r = shared[(t + i) % 2];
                    With(r, h =>
                    {
                        h.SetLinkState("lo", i % 2 == 0);
                        return h.GetLink("lo");
                    });
                    With(NamespaceRef.Current, h => h.GetLinkIndex("lo"));
                }
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(60))));
        Assert.Empty(errors);
        Assert.All(shared, r => Assert.True(NetlinkHandleCache.Holds(IdentityOf(r.Value!))));
        Assert.True(NetlinkHandleCache.Count <= 3 + 4, $"{NetlinkHandleCache.Count} handles for 2 namespaces and the caller's own");
    }

    [RootFact]
    public void FiveThousandCallsGrowNoDescriptorsOrThreads()
    {
        using var lab = new Lab();
        var refs = Enumerable.Range(0, 3).Select(_ => NamespaceRef.FromName(lab.Namespace())).Append(NamespaceRef.Current).ToList();
        void Calls(int n)
        {
            for (int i = 0; i < n; i++)
                With(refs[i % refs.Count], h => h.GetLinkIndex("lo"));
        }
        Calls(100); // warm: the handles are open, the sweeper's timer exists
        int fds = Directory.GetFiles("/proc/self/fd").Length, tasks = Directory.GetDirectories("/proc/self/task").Length;
        Calls(5000);
        int fdsAfter = Directory.GetFiles("/proc/self/fd").Length, tasksAfter = Directory.GetDirectories("/proc/self/task").Length;
        Assert.True(fdsAfter <= fds, $"descriptors grew from {fds} to {fdsAfter} over 5000 calls");
        Assert.True(tasksAfter <= tasks + 2, $"threads grew from {tasks} to {tasksAfter} over 5000 calls"); // a pool thread or two may come
    }
}

/// <summary>The cache tests run alone: the descriptor and thread counts must not see other tests' work.</summary>
[CollectionDefinition(nameof(NetlinkHandleCacheTests), DisableParallelization = true)]
public sealed class NetlinkHandleCacheCollection;
