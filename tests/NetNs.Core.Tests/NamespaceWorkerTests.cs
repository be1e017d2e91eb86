namespace NetNs.Core.Tests;

/// <summary>
/// NetNs's own worker thread ("netns:worker") enters namespaces for short steps and must always come back
/// to the namespace it started in, also when a step fails.
/// </summary>
public sealed class NamespaceWorkerTests
{
    /// <summary>The namespace identity of every thread of this process named netns:worker (from /proc/self/task).</summary>
    private static List<FileIdentity> WorkerNamespaces()
    {
        var ids = new List<FileIdentity>();
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() == "netns:worker"
                    && FileIdentity.TryOfPath(Path.Combine(task, "ns/net"), out var id, out _))
                    ids.Add(id);
            }
            catch (IOException)
            {
                // the thread ended while we looked
            }
        }
        return ids;
    }

    [RootFact]
    public void WorkerIsBackHomeAfterOpeningSocketsCreatingNamespacesAndFailedSteps()
    {
        using var lab = new Lab();
        using var home = NamespaceHandle.OpenPath("/proc/self/ns/net");
        string a = lab.Namespace(), b = lab.Namespace();
        using var ans = NamespaceHandle.OpenName(a);
        using var bns = NamespaceHandle.OpenName(b);
        for (int i = 0; i < 200; i++)
        {
            using var h = NetlinkHandle.Open(i % 2 == 0 ? ans : bns);
            Assert.Equal(["lo"], h.GetLinks().Select(l => l.Name).ToArray()); // the socket really is in that namespace
        }
        Assert.Throws<NetNsException>(() => Sysctl.Get(ans, "net.ipv4.no_such_key"));
        Assert.Equal("0", Sysctl.Get(bns, "net.ipv4.ip_forward"));

        var workers = WorkerNamespaces();
        Assert.NotEmpty(workers);
        Assert.All(workers, id => Assert.Equal(home.Identity, id));
    }

    [RootFact]
    public void ParallelCallersGetSocketsInTheirOwnTargets()
    {
        using var lab = new Lab();
        string[] names = [lab.Namespace(), lab.Namespace(), lab.Namespace()];
        var handles = names.Select(NamespaceHandle.OpenName).ToArray();
        try
        {
            // Give each namespace a distinguishable link so a socket opened in the wrong one would show.
            for (int i = 0; i < names.Length; i++)
            {
                using var h = NetlinkHandle.Open(handles[i]);
                h.CreateLink(new LinkSpec { Name = $"mark{i}", Kind = LinkKind.Bridge });
            }
            Parallel.For(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 4 }, n =>
            {
                int i = n % names.Length;
                using var h = NetlinkHandle.Open(handles[i]);
                Assert.Contains(h.GetLinks(), l => l.Name == $"mark{i}");
            });
        }
        finally
        {
            foreach (var h in handles)
                h.Dispose();
        }
    }
}
