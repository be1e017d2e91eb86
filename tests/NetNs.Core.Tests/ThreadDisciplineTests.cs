using System.Collections.Concurrent;
using System.Diagnostics;
using NetNs.Core.Interop;

namespace NetNs.Core.Tests;

/// <summary>
/// Namespace work never leaks into the caller's threads: after thousands of in-namespace operations from
/// parallel tasks, the test thread and every thread-pool thread are still in the original namespace.
/// </summary>
public class ThreadDisciplineTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    [RootFact]
    public void ThousandsOfParallelNamespaceOperationsLeaveEveryThreadHome()
    {
        using var lab = new Lab();
        var home = NamespaceThreadTests.CurrentIdentity();
        string[] names = [lab.Namespace(), lab.Namespace(), lab.Namespace(), lab.Namespace()];
        var handles = names.Select(NamespaceHandle.OpenName).ToArray();
        try
        {
            using (var first = NetlinkHandle.Open(handles[0]))
                first.CreateLink(new LinkSpec { Name = "nt-mark", Kind = LinkKind.Bridge });

            const int Operations = 2000;
            var wrong = new ConcurrentBag<string>();
            var sw = Stopwatch.StartNew();
            Parallel.For(0, Operations, new ParallelOptions { MaxDegreeOfParallelism = 8 }, (i, state) =>
            {
                if (sw.Elapsed > Budget)
                {
                    state.Stop();
                    return;
                }
                var ns = handles[i % handles.Length];
                if (i % 4 == 0)
                {
                    using var rtnl = NetlinkHandle.Open(ns);
                    var links = rtnl.GetLinks().Select(l => l.Name).ToHashSet();
                    bool expectMark = ns == handles[0];
                    if (!links.Contains("lo") || links.Contains("nt-mark") != expectMark)
                        wrong.Add($"op {i}: {ns.Name} lists [{string.Join(',', links)}]");
                }
                else
                {
                    var inside = NamespaceThread.Run(ns, NamespaceThreadTests.CurrentIdentity);
                    if (inside != ns.Identity)
                        wrong.Add($"op {i}: ran in {inside}, wanted {ns.Identity}");
                }
                if (NamespaceThreadTests.CurrentIdentity() != home)
                    wrong.Add($"op {i}: the calling pool thread left home");
            });
            Assert.True(sw.Elapsed <= Budget, $"only part of the {Operations} operations ran within {Budget}");
            Assert.Empty(wrong);

            Assert.Equal(home, NamespaceThreadTests.CurrentIdentity());
            AssertPoolThreadsAreHome(home);
        }
        finally
        {
            foreach (var h in handles)
                h.Dispose();
        }
    }

    /// <summary>Runs many short work items on the pool; each checks its own thread's namespace.</summary>
    internal static void AssertPoolThreadsAreHome(FileIdentity home)
    {
        var seen = new ConcurrentDictionary<int, FileIdentity>();
        Parallel.For(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 4 }, _ =>
        {
            var id = NamespaceThreadTests.CurrentIdentity();
            seen.AddOrUpdate(Libc.gettid(), id, (_, old) => old == home ? id : old);
        });
        var tasks = Enumerable.Range(0, 64).Select(_ => Task.Run(() => (Libc.gettid(), NamespaceThreadTests.CurrentIdentity()))).ToArray();
        Assert.True(Task.WaitAll(tasks, TimeSpan.FromSeconds(30)));
        foreach (var t in tasks)
            seen.AddOrUpdate(t.Result.Item1, t.Result.Item2, (_, old) => old == home ? t.Result.Item2 : old);
        var away = seen.Where(kv => kv.Value != home).Select(kv => $"thread {kv.Key} in {kv.Value}").ToList();
        Assert.True(away.Count == 0, $"pool threads outside the home namespace {home}: {string.Join("; ", away)}");
        Assert.NotEmpty(seen);
    }

    [RootFact]
    public void ExceptionsInsideRunLeaveCallersHome()
    {
        using var lab = new Lab();
        var home = NamespaceThreadTests.CurrentIdentity();
        using var ns = NamespaceHandle.OpenName(lab.Namespace());
        int thrown = 0;
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            try
            {
                NamespaceThread.Run(ns, () => throw new InvalidDataException("inside " + i));
            }
            catch (InvalidDataException)
            {
                Interlocked.Increment(ref thrown);
            }
        });
        Assert.Equal(200, thrown);
        Assert.Equal(home, NamespaceThreadTests.CurrentIdentity());
        AssertPoolThreadsAreHome(home);
    }

    [RootFact]
    public void SocketsOpenedInsideStayInsideWhicheverThreadUsesThem()
    {
        using var lab = new Lab();
        string name = lab.Namespace();
        using var ns = NamespaceHandle.OpenName(name);
        using var rtnl = NetlinkHandle.Open(ns);
        rtnl.CreateLink(new LinkSpec { Name = "nt-sock", Kind = LinkKind.Bridge });
        var lists = Enumerable.Range(0, 16)
            .Select(_ => Task.Run(() => rtnl.GetLinks().Select(l => l.Name).Order().ToArray())).ToArray();
        Assert.True(Task.WaitAll(lists, TimeSpan.FromSeconds(30)));
        Assert.All(lists, t => Assert.Equal(["lo", "nt-sock"], t.Result));
        Assert.Equal(["lo", "nt-sock"], Ip.LinkNames(name));
    }
}
