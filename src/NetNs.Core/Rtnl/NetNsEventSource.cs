namespace NetNs.Core;

/// <summary>The data of <see cref="NetNsEventSource.Received"/>: one change seen in a namespace.</summary>
public sealed class NetNsEventArgs(NetNsEvent change) : EventArgs
{
    /// <summary>The change (what Watch-NetNsEvent writes).</summary>
    public NetNsEvent Event { get; } = change;

    /// <summary>The change's summary, like a line of `ip monitor`.</summary>
    public override string ToString() => Event.Summary;
}

/// <summary>
/// A <see cref="NetNsEventWatch"/> as a .NET event, for hosts with an event queue of their own (PowerShell's
/// Register-ObjectEvent, Register-EngineEvent, Wait-Event): one background thread takes the watch's changes and raises
/// <see cref="Received"/> for each, in order. Nothing is raised before <see cref="Begin"/> (subscribe first, so nothing
/// is lost); <see cref="Dispose"/> stops the thread, the watch's readers and their sockets.
/// </summary>
public sealed class NetNsEventSource : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly NetNsEventWatch _watch;
    private readonly CancellationTokenSource _stop = new();
    private Thread? _pump;
    private int _disposed;

    private NetNsEventSource(NetNsEventWatch watch) => _watch = watch;

    /// <summary>Raised on the source's own thread for each change, in the order seen.</summary>
    public event EventHandler<NetNsEventArgs>? Received;

    /// <summary>
    /// Starts watching as <see cref="NetNsEventWatch.Start"/> does; changes are held until <see cref="Begin"/>.
    /// Equivalent to: `ip -n NS monitor link address route` for each namespace, and `ip netns monitor`.
    /// </summary>
    public static NetNsEventSource Start(IReadOnlyList<NamespaceRef> namespaces, NetNsEventKind kinds, bool initial) =>
        new(NetNsEventWatch.Start(namespaces, kinds, initial));

    /// <summary>Whether the source still raises events: begun, not disposed, and its watch not ended.</summary>
    public bool IsRunning => _pump is { IsAlive: true };

    /// <summary>Starts raising <see cref="Received"/> (once; later calls do nothing).</summary>
    public void Begin()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_pump is not null)
            return;
        _pump = new Thread(Pump) { IsBackground = true, Name = "netns-event-source" };
        _pump.UnsafeStart();
    }

    private void Pump()
    {
        while (!_stop.IsCancellationRequested && !_watch.Ended)
        {
            if (!_watch.TryTake(out var e, Poll, _stop.Token) || e is null)
                continue;
            try
            {
                Received?.Invoke(this, new NetNsEventArgs(e));
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                // a handler that failed while the source was being stopped
            }
        }
    }

    /// <summary>Stops raising events, then stops the watch (threads joined, sockets closed).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stop.Cancel();
        if (_pump is { } t && t != Thread.CurrentThread)
            t.Join(TimeSpan.FromSeconds(2));
        _watch.Dispose();
        _stop.Dispose();
    }
}
