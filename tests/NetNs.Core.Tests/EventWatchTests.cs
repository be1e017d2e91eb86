namespace NetNs.Core.Tests;

/// <summary>`ip monitor` and `ip netns monitor` as a stream of events, read from sockets made inside each namespace.</summary>
public sealed class EventWatchTests
{
    private static List<NetNsEvent> Collect(NetNsEventWatch watch, Func<List<NetNsEvent>, bool> enough)
    {
        var seen = new List<NetNsEvent>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!enough(seen) && DateTime.UtcNow < deadline)
        {
            if (watch.TryTake(out var e, TimeSpan.FromMilliseconds(200)) && e is not null)
                seen.Add(e);
        }
        return seen;
    }

    [RootFact]
    public void LinksAddressesAndRoutesChangingInANamespaceComeAsEventsNamingIt()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        using var watch = NetNsEventWatch.Start([NamespaceRef.FromName(a), NamespaceRef.FromName(b)], NetNsEventKind.All & ~NetNsEventKind.Namespace, initial: true);
        Ip.Must("-n", b, "link", "add", "nt-ev0", "type", "bridge");
        Ip.Must("-n", b, "addr", "add", "198.18.71.1/24", "dev", "nt-ev0");
        Ip.Must("-n", b, "link", "set", "nt-ev0", "up");
        Ip.Must("-n", b, "link", "del", "nt-ev0");
        var seen = Collect(watch, s => s.Any(e => e is { Kind: NetNsEventKind.Link, Action: "Deleted", Name: "nt-ev0" }));
        Assert.Contains(seen, e => e is { Kind: NetNsEventKind.Link, Action: "Present", Name: "lo" } && e.Namespace == a);
        Assert.Contains(seen, e => e is { Kind: NetNsEventKind.Link, Action: "New", Name: "nt-ev0" } && e.Namespace == b && e.Object is NetNsLink);
        Assert.Contains(seen, e => e is { Kind: NetNsEventKind.Address, Action: "New", Name: "198.18.71.1/24" } && ((NetNsAddress)e.Object!).InterfaceAlias == "nt-ev0");
        Assert.Contains(seen, e => e is { Kind: NetNsEventKind.Route, Action: "New", Name: "198.18.71.0/24" } && e.Namespace == b);
        Assert.Contains(seen, e => e is { Kind: NetNsEventKind.Address, Action: "Deleted", Name: "198.18.71.1/24" });
        Assert.DoesNotContain(seen, e => e.Namespace == a && e.Name == "nt-ev0");
        Assert.DoesNotContain(seen, e => e.Action is "Overrun" or "Ended");
    }

    [RootFact]
    public void NamesAddedToAndRemovedFromRunNetnsComeAsNamespaceEvents()
    {
        using var lab = new Lab();
        using var watch = NetNsEventWatch.Start([], NetNsEventKind.Namespace, initial: false);
        string name = lab.Namespace();
        Ip.Must("netns", "del", name);
        var seen = Collect(watch, s => s.Any(e => e.Action == "Deleted" && e.Name == name));
        Assert.Equal(["New", "Deleted"], seen.Where(e => e.Name == name).Select(e => e.Action));
    }

    // Threads of this process named (comm, at most 15 bytes) as a watch's readers and an event source's pump are.
    private static List<string> WatchThreads() =>
        Directory.GetDirectories($"/proc/{Environment.ProcessId}/task")
            .Select(d => { try { return File.ReadAllText(Path.Combine(d, "comm")).Trim(); } catch (IOException) { return ""; } })
            .Where(n => n.StartsWith("netns-monitor", StringComparison.Ordinal) || n == "netns-event-sou").ToList();

    // A joined thread's task lingers in /proc for a moment while the OS thread exits: look again for up to 2 s.
    private static List<string> WatchThreadsAfterExit()
    {
        var deadline = DateTime.UtcNow.AddSeconds(2);
        var threads = WatchThreads();
        while (threads.Count > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
            threads = WatchThreads();
        }
        return threads;
    }

    [RootFact]
    public void AnEventSourceRaisesALinkGoingDownAndDisposingItLeavesNoThread()
    {
        using var lab = new Lab();
        string a = lab.Namespace();
        Ip.Must("-n", a, "link", "add", "nt-es0", "type", "bridge");
        Ip.Must("-n", a, "link", "set", "nt-es0", "up");
        Assert.Empty(WatchThreadsAfterExit()); // those of the tests before have gone
        var seen = new System.Collections.Concurrent.BlockingCollection<NetNsEvent>();
        var source = NetNsEventSource.Start([NamespaceRef.FromName(a)], NetNsEventKind.Link, initial: false);
        try
        {
            source.Received += (sender, e) => seen.Add(e.Event);
            Ip.Must("-n", a, "link", "set", "nt-es0", "down"); // before Begin: held, not lost
            Assert.False(seen.TryTake(out _, 300));
            source.Begin();
            Assert.True(source.IsRunning);
            NetNsEvent? down = null;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (down is null && DateTime.UtcNow < deadline && seen.TryTake(out var e, 500))
            {
                if (e is { Kind: NetNsEventKind.Link, Name: "nt-es0", Object: NetNsLink { State: LinkState.Down } })
                    down = e;
            }
            Assert.NotNull(down);
            Assert.Equal(a, down.Namespace);
            Assert.Equal(["netns-event-sou", "netns-monitor"], WatchThreads().Order(StringComparer.Ordinal));
        }
        finally
        {
            source.Dispose();
        }
        Assert.False(source.IsRunning);
        Assert.Empty(WatchThreadsAfterExit());
        Ip.Must("-n", a, "link", "set", "nt-es0", "up");
        Assert.False(seen.TryTake(out _, 500)); // nothing raised after Dispose
        source.Dispose(); // twice: harmless
    }
}
