using NetNs.Core.Interop;
using NetNs.Core.Netlink;

namespace NetNs.Core;

/// <summary>
/// Netlink handles kept across calls, one per namespace as it was named, keyed by the namespace's identity
/// (st_dev, st_ino): what the cmdlets use, so that a pipeline of them opens each namespace and its socket once
/// instead of once per call. A lookup costs one statx(2) of the name (or path, or /proc/PID/ns/net, or
/// /proc/thread-self/ns/net for the caller's own): a namespace deleted and re-created under the same name has a new
/// identity and gets a new handle. Safe to use from many threads (runspaces) at once; a handle is shared by its
/// leases (a socket serializes its requests).
/// <para>
/// Bounded (<see cref="Capacity"/>, least recently used first out) and never holding a deleted namespace for long:
/// NetNs's own deletions (<see cref="NamedNamespaces.Delete"/>) drop its handles at once (<see cref="NamespaceRetirement"/>);
/// a sweep every second, while the cache is not empty, closes handles idle for <see cref="IdleTimeout"/> and those whose
/// name no longer leads to the namespace they were opened on (deleted by `ip netns del`, say). A leased handle is
/// closed when its last lease ends.
/// </para>
/// </summary>
public static class NetlinkHandleCache
{
    private static readonly object Gate = new();
    private static readonly Dictionary<(FileIdentity Identity, NamespaceRef Ref), Entry> Entries = [];
    private static Timer? s_sweeper;

    static NetlinkHandleCache() => NamespaceRetirement.Retiring += Evict;

    /// <summary>At most this many handles are kept (default 64); beyond it the least recently used idle one is closed.</summary>
    public static int Capacity { get; set; } = 64;

    /// <summary>A handle unused for this long is closed (default 10 s).</summary>
    public static TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the sweep runs while the cache holds handles.</summary>
    public static TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many handles the cache holds now (leased or idle).</summary>
    public static int Count
    {
        get
        {
            lock (Gate)
                return Entries.Count;
        }
    }

    /// <summary>Whether the cache holds a handle on the namespace with <paramref name="identity"/>.</summary>
    public static bool Holds(FileIdentity identity)
    {
        lock (Gate)
            return Entries.Keys.Any(k => k.Identity == identity);
    }

    /// <summary>
    /// A lease on the handle for <paramref name="reference"/>, opened now or reused; dispose the lease when done (the
    /// handle itself stays cached: disposing it does nothing). NamespaceNotFound when it does not exist.
    /// </summary>
    public static NetlinkHandleLease Acquire(NamespaceRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (TryIdentity(reference, out var identity))
        {
            lock (Gate)
            {
                if (Entries.TryGetValue((identity, reference), out var hit))
                    return hit.Lease();
            }
        }
        var handle = NetlinkHandle.Open(reference);
        return Insert(handle.Namespace?.Identity ?? (TryIdentity(reference, out var own) ? own : default), reference, handle);
    }

    /// <summary>
    /// Creates a named namespace (<see cref="NamedNamespaces.Create(string)"/>) and caches a netlink handle on it, its
    /// socket opened inside the namespace while it was being made: the next call on the new namespace (what a
    /// user's next command usually is) needs no thread hop into it. Equivalent to: `ip netns add NAME`.
    /// </summary>
    public static NetNamespace CreateNamespace(string name) => CreateNamespace(name, loopbackUp: false);

    /// <summary>
    /// <see cref="CreateNamespace(string)"/>, and with <paramref name="loopbackUp"/> its loopback brought up at once
    /// (what every lab's first step, `ip -n NAME link set lo up`, does), through the socket made inside it.
    /// </summary>
    public static NetNamespace CreateNamespace(string name, bool loopbackUp)
    {
        NetlinkSocket? socket = null;
        NetNamespace made;
        NamespaceHandle ns;
        try
        {
            made = NamedNamespaces.Create(name, () =>
            {
                try
                {
                    socket = NetlinkSocket.Open();
                }
                catch (NetNsException)
                {
                    // no socket (out of descriptors?): the namespace is made all the same; the next call opens one
                }
            }, out ns);
        }
        catch
        {
            socket?.Dispose(); // made inside, then the namespace could not be opened (deleted at once by someone else)
            throw;
        }
        if (socket is null)
        {
            if (loopbackUp)
            {
                using var opened = NetlinkHandle.Open(ns, ownsNamespace: true);
                opened.ApplyLinkChanges("lo", new LinkChanges { Up = true });
            }
            else
            {
                ns.Dispose();
            }
            return made;
        }
        using var lease = Insert(ns.Identity, NamespaceRef.FromName(name), NetlinkHandle.Adopt(socket, ns));
        if (loopbackUp)
            lease.Handle.ApplyLinkChanges("lo", new LinkChanges { Up = true });
        return made;
    }

    // Caches a handle just opened (or hands out the one another thread cached first) and leases it.
    private static NetlinkHandleLease Insert(FileIdentity opened, NamespaceRef reference, NetlinkHandle handle)
    {
        NetlinkHandle? unused = handle;
        Entry? closeLater = null;
        NetlinkHandleLease lease;
        lock (Gate)
        {
            if (Entries.TryGetValue((opened, reference), out var raced))
            {
                lease = raced.Lease();
            }
            else
            {
                var entry = new Entry(opened, reference, handle);
                handle.CachedBy = entry;
                Entries[(opened, reference)] = entry;
                lease = entry.Lease();
                unused = null;
                if (Entries.Count > Capacity)
                    closeLater = LeastRecentlyUsedIdle();
                if (s_sweeper is null)
                {
                    using (ExecutionContext.SuppressFlow()) // process-wide: not tied to the work that made it first
                        s_sweeper = new Timer(_ => Sweep(), null, SweepInterval, SweepInterval);
                }
            }
        }
        unused?.Dispose(); // lost a race: another thread cached one first
        closeLater?.Close();
        // A delete of this namespace may have run its Evict between the open above and the insert: look at the
        // name once more, so a deleted namespace is not kept until the next sweep (the lease still works; the
        // handle closes when it is released).
        if (reference.Kind != NamespaceRefKind.Current && (!TryIdentity(reference, out var still) || still != opened))
            Drop(k => k.Identity == opened && k.Ref == reference);
        return lease;
    }

    /// <summary>
    /// Closes the idle handles unused for <see cref="IdleTimeout"/> and those whose namespace is gone or was replaced
    /// under their name; returns how many were dropped. Runs on its own every <see cref="SweepInterval"/>.
    /// </summary>
    public static int Sweep()
    {
        List<Entry> idle;
        lock (Gate)
            idle = Entries.Values.Where(e => e.Leases == 0).ToList();
        long now = Environment.TickCount64;
        var drop = idle.Where(e => now - e.LastUsed >= (long)IdleTimeout.TotalMilliseconds
            || (e.Ref.Kind != NamespaceRefKind.Current && (!TryIdentity(e.Ref, out var id) || id != e.Identity))).ToList();
        var closing = new List<Entry>();
        lock (Gate)
        {
            foreach (var e in drop)
            {
                if (e.Leases == 0 && Entries.Remove((e.Identity, e.Ref)))
                    closing.Add(e);
            }
            if (Entries.Count == 0 && s_sweeper is not null)
            {
                s_sweeper.Dispose();
                s_sweeper = null;
            }
        }
        foreach (var e in closing)
            e.Close();
        return closing.Count;
    }

    /// <summary>Drops every handle on the namespace with <paramref name="identity"/> (idle ones closed now, leased ones when released).</summary>
    public static void Evict(FileIdentity identity) => Drop(k => k.Identity == identity);

    /// <summary>Drops every handle (idle ones closed now, leased ones when released).</summary>
    public static void Clear() => Drop(_ => true);

    private static void Drop(Func<(FileIdentity Identity, NamespaceRef Ref), bool> which)
    {
        var closing = new List<Entry>();
        lock (Gate)
        {
            foreach (var key in Entries.Keys.Where(which).ToList())
            {
                var e = Entries[key];
                Entries.Remove(key);
                e.Dropped = true;
                if (e.Leases == 0)
                    closing.Add(e);
            }
        }
        foreach (var e in closing)
            e.Close();
    }

    // Under Gate.
    private static Entry? LeastRecentlyUsedIdle()
    {
        Entry? oldest = null;
        foreach (var e in Entries.Values)
        {
            if (e.Leases == 0 && (oldest is null || e.LastUsed < oldest.LastUsed))
                oldest = e;
        }
        if (oldest is not null)
            Entries.Remove((oldest.Identity, oldest.Ref));
        return oldest;
    }

    /// <summary>The identity the reference leads to now, by one statx(2); false when it leads nowhere.</summary>
    private static bool TryIdentity(NamespaceRef r, out FileIdentity identity)
    {
        string path = r.Kind switch
        {
            NamespaceRefKind.Name => NamedNamespaces.RunDirectory + "/" + r.Value,
            NamespaceRefKind.Path => r.Value!,
            NamespaceRefKind.ProcessId => "/proc/" + r.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/ns/net",
            _ => NamespaceHandle.CurrentPath,
        };
        return FileIdentity.TryOfPath(path, out identity, out _);
    }

    private static void Release(Entry e)
    {
        bool close;
        lock (Gate)
        {
            e.Leases--;
            e.LastUsed = Environment.TickCount64;
            close = e.Dropped && e.Leases == 0;
        }
        if (close)
            e.Close();
    }

    internal sealed class Entry(FileIdentity identity, NamespaceRef reference, NetlinkHandle handle)
    {
        public FileIdentity Identity { get; } = identity;

        public NamespaceRef Ref { get; } = reference;

        public NetlinkHandle Handle { get; } = handle;

        public int Leases { get; set; }

        public long LastUsed { get; set; } = Environment.TickCount64;

        public bool Dropped { get; set; }

        // Under Gate.
        public NetlinkHandleLease Lease()
        {
            Leases++;
            LastUsed = Environment.TickCount64;
            return new NetlinkHandleLease(this);
        }

        public void Release() => NetlinkHandleCache.Release(this);

        public void Close() => Handle.Close();
    }
}

/// <summary>One use of a cached <see cref="NetlinkHandle"/>; disposing it gives the handle back to the cache.</summary>
public sealed class NetlinkHandleLease : IDisposable
{
    private NetlinkHandleCache.Entry? _entry;

    internal NetlinkHandleLease(NetlinkHandleCache.Entry entry)
    {
        _entry = entry;
        Handle = entry.Handle;
    }

    /// <summary>The handle (valid until the lease is disposed).</summary>
    public NetlinkHandle Handle { get; }

    /// <inheritdoc/>
    public void Dispose() => Interlocked.Exchange(ref _entry, null)?.Release();
}
