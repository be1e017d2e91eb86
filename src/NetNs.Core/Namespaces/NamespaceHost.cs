using System.Collections.Concurrent;
using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>
/// A warm dedicated thread inside one namespace, kept for later calls: it starts from the process's own
/// namespaces, enters the target (with `ip netns exec`'s mount setup when asked), and then runs one piece of
/// work at a time until it has been idle for <see cref="IdleTimeout"/>. It is never a pool thread and never
/// leaves its namespace; code that must run in the namespace repeatedly (a runspace bound to the thread, native
/// programs started from it) pays the thread and mount setup once. Lease one with <see cref="Acquire"/>, give it
/// back with <see cref="Dispose"/>; a host serves one lease at a time, so parallel callers get their own hosts.
/// </summary>
public sealed class NamespaceHost : IDisposable
{
    private static readonly object Gate = new();
    private static readonly List<NamespaceHost> IdleHosts = [];
    private static readonly List<NamespaceHost> AllHosts = [];

    [ThreadStatic]
    private static NamespaceHost? t_current;

    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread _thread;
    private readonly (FileIdentity Identity, bool Remount, string? Name) _key;
    private readonly string _etc;
    private bool _leased = true;
    private bool _ended;
    private bool _retire;

    private NamespaceHost(NamespaceHandle ns, NamespaceThreadOptions options)
    {
        _key = (ns.Identity, options.RemountSysfs, ns.Name);
        DisplayName = ns.DisplayName;
        Reference = ns.Name is not null ? NamespaceRef.FromName(ns.Name) : NamespaceRef.FromPath(ns.Path);
        Namespace = ns.Duplicate();
        _etc = options.RemountSysfs ? NamespaceThread.EtcFingerprint(ns.Name) : "";
        Exception? failure = null;
        using var started = new ManualResetEventSlim();
        bool added = false;
        ns.Fd.DangerousAddRef(ref added);
        try
        {
            _thread = new Thread(() =>
            {
                try
                {
                    OriginalNamespaces.EnterOriginal();
                    NamespaceThread.Enter(ns, options);
                    t_current = this;
                }
                catch (Exception e)
                {
                    failure = e;
                }
                started.Set();
                if (failure is null)
                    Loop();
            })
            {
                IsBackground = true,
                Name = options.ThreadName ?? "netns:" + ns.DisplayName, // as NamespaceThread names its threads
            };
            _thread.UnsafeStart(); // kept for later leases: no ExecutionContext (an ambient namespace) of the first one
            started.Wait();
        }
        finally
        {
            if (added)
                ns.Fd.DangerousRelease();
        }
        if (failure is not null)
        {
            Namespace.Dispose();
            throw failure is NetNsException ? failure : new NetNsException(NetNsErrorReason.OperationFailed, "enter", failure.Message, ns.DisplayName, inner: failure);
        }
    }

    /// <summary>How long an unused host waits for its next lease before its thread ends (default 30 s).</summary>
    public static TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The namespace as it was named when the host was made.</summary>
    public string DisplayName { get; }

    /// <summary>
    /// The namespace as it was named when the host was made (a name under /run/netns, else its path): what objects
    /// made by code running on the host carry as their Namespace.
    /// </summary>
    public NamespaceRef Reference { get; }

    /// <summary>
    /// The host whose thread is the calling thread, or null: code run on a host (a script block of
    /// Invoke-InNetNamespace) is inside <see cref="Reference"/>, and the namespace it calls its own is that one.
    /// </summary>
    public static NamespaceHost? Current => t_current;

    /// <summary>The namespace the host is in (owned by the host: valid while it is leased).</summary>
    public NamespaceHandle Namespace { get; }

    /// <summary>The namespace's identity.</summary>
    public FileIdentity Identity => _key.Identity;

    /// <summary>
    /// What a caller keeps on this thread between leases (a runspace bound to it, say). Touch it only from work
    /// run on the host; it is disposed on the host's thread when the host ends.
    /// </summary>
    public IDisposable? State { get; set; }

    /// <summary>
    /// Leases an idle host in <paramref name="ns"/> (same namespace, same mount setup, same name) or makes one.
    /// NamespaceNotFound/PermissionDenied when the namespace cannot be entered.
    /// </summary>
    public static NamespaceHost Acquire(NamespaceHandle ns, NamespaceThreadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        options ??= new NamespaceThreadOptions();
        var key = (ns.Identity, options.RemountSysfs, ns.Name);
        lock (Gate)
        {
            for (int i = IdleHosts.Count - 1; i >= 0; i--)
            {
                var h = IdleHosts[i];
                if (h._key == key && !h._ended && !h._retire)
                {
                    if (options.RemountSysfs && h._etc != NamespaceThread.EtcFingerprint(ns.Name))
                    {
                        // /etc/netns/NAME changed since its binds were made: `ip netns exec` would bind it anew.
                        IdleHosts.RemoveAt(i);
                        h._retire = true;
                        h._work.CompleteAdding();
                        continue;
                    }
                    IdleHosts.RemoveAt(i);
                    h._leased = true;
                    return h;
                }
            }
        }
        RuntimeThreads.StartAtHome();
        var host = new NamespaceHost(ns, options);
        lock (Gate)
            AllHosts.Add(host);
        return host;
    }

    /// <summary>Runs <paramref name="func"/> on the host's thread; the task completes with its result or exception.</summary>
    public Task<T> InvokeAsync<T>(Func<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(() =>
            {
                try
                {
                    done.SetResult(func());
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            });
        }
        catch (InvalidOperationException)
        {
            done.SetException(new ObjectDisposedException(nameof(NamespaceHost), "the namespace host has ended"));
        }
        return done.Task;
    }

    /// <summary>Runs <paramref name="func"/> on the host's thread and waits for it.</summary>
    public T Invoke<T>(Func<T> func) => InvokeAsync(func).GetAwaiter().GetResult();

    /// <summary>Gives the lease back: the host waits, idle, for the next one (or ends if its namespace was retired).</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (!_leased)
                return;
            _leased = false;
            if (_retire || _ended)
            {
                _work.CompleteAdding();
                return;
            }
            IdleHosts.Add(this);
        }
        try
        {
            _work.Add(() => { }); // wakes the loop so its idle wait starts now
        }
        catch (InvalidOperationException)
        {
            // it ended meanwhile
        }
    }

    /// <summary>
    /// Ends every host in the namespace with this identity: idle ones now (waiting up to a second for their
    /// threads, so the namespace and its mounts are not kept alive), leased ones when they are given back.
    /// Called before a named namespace is deleted.
    /// </summary>
    public static void Retire(FileIdentity identity)
    {
        var ending = new List<NamespaceHost>();
        lock (Gate)
        {
            foreach (var h in AllHosts.Where(h => h._key.Identity == identity))
            {
                h._retire = true;
                if (!h._leased)
                {
                    IdleHosts.Remove(h);
                    h._work.CompleteAdding();
                    ending.Add(h);
                }
            }
        }
        foreach (var h in ending)
            h._thread.Join(TimeSpan.FromSeconds(1));
    }

    private void Loop()
    {
        try
        {
            while (true)
            {
                if (!_work.TryTake(out var work, IdleTimeout))
                {
                    if (_work.IsCompleted)
                        break; // retired
                    lock (Gate)
                    {
                        if (_leased || _work.Count > 0)
                            continue;
                        IdleHosts.Remove(this);
                        _ended = true;
                        _work.CompleteAdding();
                    }
                    break;
                }
                work();
            }
        }
        catch (InvalidOperationException)
        {
            // CompleteAdding: retired
        }
        finally
        {
            lock (Gate)
            {
                _ended = true;
                IdleHosts.Remove(this);
                AllHosts.Remove(this);
            }
            // Work that raced with the end still runs (the thread is still in its namespace): no caller is left waiting.
            while (_work.TryTake(out var late))
                late();
            try
            {
                State?.Dispose();
            }
            catch (Exception)
            {
                // the thread is ending; nothing to report to
            }
            Namespace.Dispose();
        }
    }
}
