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
}
