using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace NetNs.Core;

/// <summary>
/// The one per-namespace fan-out of the library (reading a lab's namespaces, a container scan's interfaces, deleting
/// a lab's namespaces): work items run on a few dedicated threads, never the thread pool (each item may wait in the
/// kernel, and none may leave its thread in another namespace: items do their namespace work through
/// <see cref="NamespaceWorker"/> or sockets opened there). The calling thread produces the items meanwhile, so a lazy
/// sequence that opens what the next items need overlaps the work on the previous ones.
/// </summary>
internal static class FanOut
{
    /// <summary>
    /// Runs <paramref name="work"/> for each item on up to <paramref name="parallelism"/> threads (fewer for few items:
    /// one per <paramref name="perThread"/>): work that uses the CPUs passes at most their count, work that waits in
    /// the kernel (deletes) may pass more. At the first exception no further item is started and, once every thread
    /// has ended, it is rethrown; a cancelled <paramref name="cancel"/> stops as well (OperationCanceledException). An
    /// item that must not stop the others catches its own errors.
    /// </summary>
    public static void ForEach<T>(IEnumerable<T> items, int count, Action<T> work, int parallelism = 4, int perThread = 1,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(work);
        int threads = count <= 0 ? 0 : Math.Clamp(count / Math.Max(1, perThread), 1, Math.Max(1, parallelism));
        Exception? failure = null;
        using var queue = new BlockingCollection<T>();
        void Run()
        {
            foreach (var item in queue.GetConsumingEnumerable())
            {
                if (Volatile.Read(ref failure) is not null || cancel.IsCancellationRequested)
                    continue; // drain: the producer is told to stop
                try
                {
                    work(item);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            }
        }
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(Run) { IsBackground = true, Name = "netns:fan-out" }).ToList();
        workers.ForEach(t => t.Start());
        try
        {
            foreach (var item in items)
            {
                if (Volatile.Read(ref failure) is not null || cancel.IsCancellationRequested)
                    break;
                queue.Add(item);
            }
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref failure, e, null); // the producer failed: stop the workers, then report it
        }
        finally
        {
            queue.CompleteAdding();
            workers.ForEach(t => t.Join());
        }
        if (failure is not null)
            ExceptionDispatchInfo.Capture(failure).Throw();
        cancel.ThrowIfCancellationRequested();
    }
}
