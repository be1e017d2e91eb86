using System.Runtime.ExceptionServices;
using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>
/// One long-lived dedicated thread for NetNs's own short in-namespace steps (opening a netlink socket,
/// pinning a new namespace, reading a sysctl): it enters the target with setns(2) — or a new namespace
/// with unshare(CLONE_NEWNET) — runs the step, and switches back to the namespace it started in, as
/// `ip -batch` does. Creating a thread per step costs about 0.2 ms; switching costs about 15 µs.
/// It is never a pool thread. If switching back fails the thread retires (ends) and a new one takes over,
/// so no later step can run in a namespace it did not ask for. Code from callers never runs here: it goes
/// to <see cref="NamespaceThread"/>, one fresh thread per call.
/// </summary>
internal sealed class NamespaceWorker
{
    private static readonly object Gate = new();
    private static NamespaceWorker? s_current;

    private readonly StepQueue _work = new();
    private readonly Thread _thread;
    private volatile bool _retired;

    private NamespaceWorker()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "netns:worker" };
        _thread.UnsafeStart(); // no ExecutionContext of whoever made it first (an Invoke-InNetNamespace block's, say)
    }

    /// <summary>Runs <paramref name="func"/> inside <paramref name="target"/>.</summary>
    public static T Run<T>(NamespaceHandle target, Func<T> func) =>
        RunIn(target ?? throw new ArgumentNullException(nameof(target)), func);

    /// <summary>
    /// Runs <paramref name="func"/> inside a brand-new network namespace (unshare(CLONE_NEWNET) on the worker): what
    /// it does there, such as bind-mounting /proc/thread-self/ns/net, is all that keeps that namespace alive.
    /// </summary>
    public static T RunInNewNamespace<T>(Func<T> func) => RunIn(null, func);

    // target null: a new namespace (the two public entry points say which; null never means "wherever").
    private static T RunIn<T>(NamespaceHandle? target, Func<T> func)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        using var done = new ManualResetEventSlim();
        bool added = false;
        target?.Fd.DangerousAddRef(ref added);
        try
        {
            Dispatch(home =>
            {
                try
                {
                    result = Step(home, target, func);
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    done.Set();
                }
            });
            done.Wait();
        }
        finally
        {
            if (added)
                target!.Fd.DangerousRelease();
        }
        failure?.Throw();
        return result;
    }

    /// <summary>
    /// Runs <paramref name="func"/>(i) inside each of <paramref name="targets"/> in one trip to the worker (setns into
    /// each in turn, and home after each), for steps over many namespaces at once (a lab's sockets): it saves the
    /// hand-over per namespace. A failed step gives its error in <paramref name="errors"/> and the others go on;
    /// if switching home fails, the rest are not run and fail.
    /// </summary>
    public static T[] RunEach<T>(IReadOnlyList<NamespaceHandle> targets, Func<int, T> func, out Exception?[] errors)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var results = new T[targets.Count];
        var failures = new Exception?[targets.Count];
        using var done = new ManualResetEventSlim();
        var added = new bool[targets.Count];
        try
        {
            for (int i = 0; i < targets.Count; i++)
                targets[i].Fd.DangerousAddRef(ref added[i]);
            Dispatch(home =>
            {
                try
                {
                    for (int i = 0; i < targets.Count; i++)
                    {
                        if (RetiredHere())
                        {
                            failures[i] = new NetNsException(NetNsErrorReason.OperationFailed, "enter",
                                "NetNs's worker thread could not switch back to the original namespace", targets[i].DisplayName);
                            continue;
                        }
                        int index = i;
                        try
                        {
                            results[i] = Step(home, targets[i], () => func(index));
                        }
                        catch (Exception e)
                        {
                            failures[i] = e;
                        }
                    }
                }
                finally
                {
                    done.Set();
                }
            });
            done.Wait();
        }
        finally
        {
            for (int i = 0; i < targets.Count; i++)
            {
                if (added[i])
                    targets[i].Fd.DangerousRelease();
            }
        }
        errors = failures;
        return results;
    }

    private static bool RetiredHere()
    {
        lock (Gate)
            return s_current is null || s_current._thread != Thread.CurrentThread || s_current._retired;
    }

    /// <summary>
    /// Runs <paramref name="func"/> on the worker in the process's original network namespace, whichever
    /// namespace the calling thread is in (to make a socket there, say).
    /// </summary>
    public static T RunAtHome<T>(Func<T> func)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        using var done = new ManualResetEventSlim();
        Dispatch(home =>
        {
            try
            {
                if (home is null)
                    throw new NetNsException(NetNsErrorReason.OperationFailed, "start",
                        "NetNs's worker thread could not start in the process's original network and mount namespaces");
                result = func();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                done.Set();
            }
        });
        done.Wait();
        failure?.Throw();
        return result;
    }

    private static void Dispatch(Action<SafeFd?> work)
    {
        lock (Gate)
        {
            if (s_current is null || s_current._retired)
                s_current = new NamespaceWorker();
            if (Thread.CurrentThread == s_current._thread)
                throw new InvalidOperationException("a namespace worker step cannot wait for another step");
            s_current._work.Add(work);
        }
    }

    // Runs on the worker thread.
    private static T Step<T>(SafeFd? home, NamespaceHandle? target, Func<T> func)
    {
        if (home is null)
            throw new NetNsException(NetNsErrorReason.OperationFailed, "start",
                "NetNs's worker thread could not start in the process's original network and mount namespaces");
        if (target is null)
        {
            if (Libc.unshare(Libc.CLONE_NEWNET) != 0)
                throw NetNsException.FromErrno("create", Errno.Last, ObjectKind.Namespace, null);
        }
        else if (Libc.setns(target.Fd.Value, Libc.CLONE_NEWNET) != 0)
        {
            throw NetNsException.FromErrno("enter", Errno.Last, ObjectKind.Namespace, target.DisplayName);
        }
        try
        {
            return func();
        }
        finally
        {
            if (Libc.setns(home.Value, Libc.CLONE_NEWNET) != 0)
                Retire();
        }
    }

    private static void Retire()
    {
        lock (Gate)
        {
            var self = s_current;
            if (self is not null && Thread.CurrentThread == self._thread)
            {
                self._retired = true;
                self._work.CompleteAdding();
            }
        }
    }

    private void Loop()
    {
        // Whoever made this thread (maybe a thread inside a namespace), it starts from the process's own namespaces.
        SafeFd? home = null;
        try
        {
            OriginalNamespaces.EnterOriginal();
            home = OpenHome();
        }
        catch (NetNsException)
        {
            // home stays null: the steps queued here fail, and the next Dispatch makes a fresh worker.
        }
        using (home)
        {
            if (home is null)
                Retire();
            foreach (var work in _work.GetConsumingEnumerable())
            {
                if (home is not null && _retired)
                {
                    Dispatch(work); // this thread is done (it could not switch back): hand the step to a fresh worker
                    continue;
                }
                work(home);
            }
        }
    }

    /// <summary>
    /// The worker's queue. Unlike BlockingCollection (whose Take spins with sched_yield before it sleeps: ~50 calls
    /// after every step, measured with strace), an idle worker sleeps at once: a step comes at most every few tens of
    /// microseconds, and spinning would only take the CPU from the thread that is about to send the next one.
    /// </summary>
    private sealed class StepQueue
    {
        private readonly Queue<Action<SafeFd?>> _items = new();
        private bool _completed;

        public void Add(Action<SafeFd?> item)
        {
            lock (_items)
            {
                if (_completed)
                    throw new InvalidOperationException("the namespace worker has retired");
                _items.Enqueue(item);
                Monitor.Pulse(_items);
            }
        }

        public void CompleteAdding()
        {
            lock (_items)
            {
                _completed = true;
                Monitor.PulseAll(_items);
            }
        }

        public IEnumerable<Action<SafeFd?>> GetConsumingEnumerable()
        {
            while (true)
            {
                Action<SafeFd?> item;
                lock (_items)
                {
                    while (_items.Count == 0 && !_completed)
                        Monitor.Wait(_items);
                    if (_items.Count == 0)
                        yield break;
                    item = _items.Dequeue();
                }
                yield return item;
            }
        }
    }

    private static SafeFd? OpenHome()
    {
        int fd = Libc.open(NamespaceHandle.CurrentPath, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        return fd < 0 ? null : new SafeFd(fd);
    }
}
