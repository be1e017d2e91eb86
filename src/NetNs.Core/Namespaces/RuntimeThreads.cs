using System.Net.Sockets;

namespace NetNs.Core;

/// <summary>
/// .NET's process-wide helper threads, started once in the process's original namespaces before any code runs on a
/// thread inside another namespace. The runtime makes them on first need from whichever thread needs them, and a
/// thread inherits its creator's namespaces: a thread-pool wait thread first needed by Start-Job in a script block of
/// Invoke-InNetNamespace, say, would otherwise be made inside that namespace, stay there, and keep the namespace alive
/// after it is deleted. Started here: the thread-pool wait thread (kept by one registered wait that never fires), the
/// timer thread, and the socket engine's event thread.
/// </summary>
internal static class RuntimeThreads
{
    private static readonly object Gate = new();
    private static bool s_started;
    private static RegisteredWaitHandle? s_wait;
    private static Timer? s_timer;

    /// <summary>Starts them at home, once (cheap after the first call).</summary>
    public static void StartAtHome()
    {
        if (Volatile.Read(ref s_started))
            return;
        lock (Gate)
        {
            if (s_started)
                return;
            NamespaceWorker.RunAtHome(() =>
            {
                s_wait = ThreadPool.RegisterWaitForSingleObject(new ManualResetEvent(false), (_, _) => { }, null, Timeout.Infinite, executeOnlyOnce: false);
                s_timer = new Timer(_ => { }, null, Timeout.Infinite, Timeout.Infinite);
                s_timer.Change(TimeSpan.FromDays(1), Timeout.InfiniteTimeSpan);
                // An asynchronous receive registers the socket with the engine, which starts its event thread here.
                using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                socket.Bind(new UnixDomainSocketEndPoint("\0netns-start-" + Guid.NewGuid().ToString("N")));
                using var cancel = new CancellationTokenSource();
                var pending = socket.ReceiveAsync(new byte[1], SocketFlags.None, cancel.Token);
                cancel.Cancel();
                try
                {
                    pending.AsTask().Wait(TimeSpan.FromSeconds(1));
                }
                catch (AggregateException)
                {
                    // cancelled, as meant
                }
                return true;
            });
            Volatile.Write(ref s_started, true);
        }
    }
}
