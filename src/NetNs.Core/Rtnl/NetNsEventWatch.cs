using System.Collections.Concurrent;
using NetNs.Core.Netlink;

namespace NetNs.Core;

/// <summary>
/// Changes in namespaces as they happen: `ip monitor` (links, addresses, routes, from the kernel's rtnetlink multicast
/// groups, one socket made inside each namespace) and `ip netns monitor` (names added to or removed from /run/netns, by inotify),
/// merged into one stream of <see cref="NetNsEvent"/>s. Each namespace is read on a thread of its own (the socket
/// belongs to its namespace whatever thread reads it). Events the kernel had to drop are reported (Overrun), never
/// hidden. Dispose to stop.
/// </summary>
public sealed class NetNsEventWatch : IDisposable
{
    // RTMGRP_LINK, RTMGRP_IPV4_IFADDR, RTMGRP_IPV4_ROUTE, RTMGRP_IPV6_IFADDR, RTMGRP_IPV6_ROUTE (linux/rtnetlink.h).
    private const uint GroupLink = 0x1, GroupAddress = 0x10 | 0x100, GroupRoute = 0x40 | 0x400;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly BlockingCollection<NetNsEvent> _events = new(100_000);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _threads = [];
    private readonly List<IDisposable> _owned = [];
    private int _running;

    private NetNsEventWatch()
    {
    }

    /// <summary>
    /// Starts watching <paramref name="namespaces"/> (the caller's own for <see cref="NamespaceRef.Current"/>) for
    /// <paramref name="kinds"/>; with <paramref name="initial"/> what is there now comes first, as Present events.
    /// Equivalent to: `ip -n NS monitor link address route` for each, and `ip netns monitor`.
    /// </summary>
    public static NetNsEventWatch Start(IReadOnlyList<NamespaceRef> namespaces, NetNsEventKind kinds, bool initial)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        var watch = new NetNsEventWatch();
        try
        {
            uint groups = (kinds.HasFlag(NetNsEventKind.Link) ? GroupLink : 0) | (kinds.HasFlag(NetNsEventKind.Address) ? GroupAddress : 0)
                | (kinds.HasFlag(NetNsEventKind.Route) ? GroupRoute : 0);
            if (groups != 0)
            {
                foreach (var reference in namespaces)
                {
                    var rtnl = NetlinkHandle.Open(reference);
                    watch._owned.Add(rtnl);
                    // Joined first, read after the Present events: a change in between is seen, not lost.
                    var receiver = rtnl.Namespace is { } ns
                        ? NamespaceWorker.Run(ns, () => MulticastReceiver.Open(groups | GroupLink, Poll))
                        : MulticastReceiver.Open(groups | GroupLink, Poll);
                    watch._owned.Add(receiver);
                    var names = rtnl.LinkNames();
                    if (initial)
                    {
                        foreach (var e in rtnl.PresentEvents(kinds))
                            watch._events.Add(e);
                    }
                    watch.Run("netns-monitor", () => watch.Read(rtnl, receiver, names, kinds));
                }
            }
            if (kinds.HasFlag(NetNsEventKind.Namespace))
            {
                var names = RunNetnsWatcher.Open(); // before the listing: a name added in between is seen
                watch._owned.Add(names);
                if (initial)
                {
                    foreach (string name in NamedNamespaces.ListNames().Order(StringComparer.Ordinal))
                        watch._events.Add(NamespaceEvent("Present", name));
                }
                watch.Run("netns-monitor-names", () => watch.WatchNames(names));
            }
        }
        catch
        {
            watch.Dispose();
            throw;
        }
        return watch;
    }

    /// <summary>The next event, waiting at most <paramref name="timeout"/>; false when none came, or the watch ended.</summary>
    public bool TryTake(out NetNsEvent? next, TimeSpan timeout, CancellationToken cancellation = default)
    {
        next = null;
        try
        {
            return _events.TryTake(out next, (int)Math.Min(int.MaxValue, Math.Max(0, timeout.TotalMilliseconds)), cancellation);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Whether every reader has ended (each namespace's, after an error or a stop).</summary>
    public bool Ended => Volatile.Read(ref _running) == 0 && _events.Count == 0;

    private void Run(string name, Action body)
    {
        Interlocked.Increment(ref _running);
        var t = new Thread(() =>
        {
            try
            {
                body();
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }) { IsBackground = true, Name = name };
        _threads.Add(t);
        t.UnsafeStart();
    }

    private void Read(NetlinkHandle rtnl, MulticastReceiver receiver, Dictionary<int, string> names, NetNsEventKind kinds)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var datagram = receiver.Receive(out bool overrun);
                if (overrun)
                    Add(new NetNsEvent { Time = DateTime.Now, Namespace = rtnl.NamespaceName, Action = "Overrun", Summary = "events were dropped by the kernel (they came faster than they were read)" });
                var reader = new MessageReader(datagram);
                while (reader.Next(out var h, out var payload))
                {
                    if (rtnl.DecodeEvent(h, payload, names, kinds) is { } e)
                        Add(e);
                }
            }
        }
        catch (NetNsException e) when (!_stop.IsCancellationRequested)
        {
            // the namespace went away, or the socket failed: said once, then this reader ends
            Add(new NetNsEvent { Time = DateTime.Now, Namespace = rtnl.NamespaceName, Action = "Ended", Summary = "watching ended: " + e.Message });
        }
        catch (Exception e) when (e is ObjectDisposedException or NetNsException)
        {
            // stopped
        }
    }

    // `ip netns monitor`: inotify on /run/netns.
    private void WatchNames(RunNetnsWatcher names)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                foreach (var (action, name) in names.Read(Poll))
                {
                    Add(action == "Overrun"
                        ? new NetNsEvent { Time = DateTime.Now, Kind = NetNsEventKind.Namespace, Action = "Overrun", Summary = "names were dropped by the kernel (inotify queue overflow)" }
                        : NamespaceEvent(action, name));
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // stopped
        }
    }

    private static NetNsEvent NamespaceEvent(string action, string name) => new()
    {
        Time = DateTime.Now,
        Kind = NetNsEventKind.Namespace,
        Action = action,
        Name = name,
        Object = name,
        Summary = (action == "Deleted" ? "delete " : action == "New" ? "add " : "") + name,
    };

    private void Add(NetNsEvent e)
    {
        try
        {
            if (!_events.TryAdd(e))
                _events.TryAdd(new NetNsEvent { Time = DateTime.Now, Namespace = e.Namespace, Action = "Overrun", Summary = "events were dropped: the reader fell 100000 behind" });
        }
        catch (InvalidOperationException)
        {
            // stopped
        }
    }

    /// <summary>Stops every reader and closes the sockets.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        foreach (var t in _threads)
            t.Join(TimeSpan.FromSeconds(2));
        foreach (var o in _owned)
            o.Dispose();
        _events.CompleteAdding();
    }
}
