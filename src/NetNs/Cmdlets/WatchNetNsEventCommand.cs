using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Streams the changes in namespaces as objects as they happen — links, addresses and routes (`ip monitor`) and
/// named namespaces (`ip netns monitor`) — until Ctrl+C, -Timeout, or the end of the pipeline (Select-Object -First).
/// With -SourceIdentifier or -Action it is a PowerShell event source instead, as Register-ObjectEvent makes one: the
/// watch runs in the background, each change arrives in the session's event queue (Get-Event, Wait-Event, an -Action),
/// and Unregister-Event stops it.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "NetNsEvent", DefaultParameterSetName = StreamSet)]
[OutputType(typeof(NetNsEvent), ParameterSetName = [StreamSet])]
[OutputType(typeof(PSEventJob), ParameterSetName = [EventSet])]
public sealed class WatchNetNsEventCommand : NetNsCmdlet
{
    private readonly List<NamespaceRef> _namespaces = [];
    private readonly CancellationTokenSource _stop = new();
    private NetNsEventWatch? _watch;
    private const string StreamSet = "Stream", EventSet = "EventSource";

    /// <summary>The namespaces to watch (names, namespace files, PIDs or NetNs objects); the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation(Many = true)]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef[]? Namespace { get; set; }

    /// <summary>What to watch: Link, Address, Route, Namespace (names under /run/netns); all of them by default.</summary>
    [Parameter]
    public NetNsEventKind[] Kind { get; set; } = [NetNsEventKind.All];

    /// <summary>Stop after this long (by default: until Ctrl+C or the end of the pipeline).</summary>
    [Parameter(ParameterSetName = StreamSet)]
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// Watch in the background as an event source of this name: each change arrives in the event queue
    /// (Wait-Event/Get-Event -SourceIdentifier NAME; $Event.SourceEventArgs.Event is the NetNsEvent) until
    /// Unregister-Event NAME. A new GUID when only -Action is given.
    /// </summary>
    [Parameter(ParameterSetName = EventSet)]
    [ValidateNotNullOrEmpty]
    public string? SourceIdentifier { get; set; }

    /// <summary>
    /// Watch in the background and run this script block for each change ($EventArgs.Event is the NetNsEvent), as
    /// Register-ObjectEvent -Action does; the job that runs it is written (Get-Job, Receive-Job).
    /// </summary>
    [Parameter(ParameterSetName = EventSet)]
    public ScriptBlock? Action { get; set; }

    /// <summary>Data handed to each event ($Event.MessageData), as Register-ObjectEvent -MessageData.</summary>
    [Parameter(ParameterSetName = EventSet)]
    public PSObject? MessageData { get; set; }

    /// <summary>Write what is there now first, as Present events, then the changes.</summary>
    [Parameter]
    public SwitchParameter Initial { get; set; }

    /// <inheritdoc/>
    protected override bool RequiresPrivilege => false;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        _namespaces.AddRange(Namespace ?? [NamespaceRef.Current]);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var kinds = Kind.Aggregate((NetNsEventKind)0, (a, k) => a | k);
        var distinct = _namespaces.Distinct().ToList();
        if (ParameterSetName == EventSet)
        {
            Subscribe(distinct, kinds);
            return;
        }
        Try(string.Join(", ", distinct.Select(n => n.ToString() ?? "(own)")), () => _watch = NetNsEventWatch.Start(distinct, kinds, Initial));
        if (_watch is null)
            return;
        var until = Timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        while (!_stop.IsCancellationRequested && !_watch.Ended)
        {
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                break;
            if (_watch.TryTake(out var e, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200), _stop.Token) && e is not null)
                WriteObject(e);
        }
    }

    // Register-ObjectEvent's way: the engine hooks the source's .NET event and queues each change; the source starts
    // raising only once subscribed, and stops (threads joined, sockets closed) when the subscriber is unregistered.
    private void Subscribe(List<NamespaceRef> namespaces, NetNsEventKind kinds)
    {
        if (SourceIdentifier is null && Action is null)
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(NetNsException.Invalid("watch events", "",
                "give -SourceIdentifier, -Action or both to watch in the background"), null));
        string id = SourceIdentifier ?? Guid.NewGuid().ToString();
        if (Events.Subscribers.Any(s => string.Equals(s.SourceIdentifier, id, StringComparison.OrdinalIgnoreCase)))
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(NetNsException.Invalid("watch events", id,
                $"an event subscriber with the source identifier '{id}' already exists: Unregister-Event {id}, or pick another name"), id));
        NetNsEventSource? source = null;
        Try(string.Join(", ", namespaces.Select(n => n.ToString() ?? "(own)")), () => source = NetNsEventSource.Start(namespaces, kinds, Initial));
        if (source is null)
            return;
        PSEventSubscriber subscriber;
        try
        {
            subscriber = Events.SubscribeEvent(source, nameof(NetNsEventSource.Received), id, MessageData, Action, false, false);
        }
        catch
        {
            source.Dispose();
            throw;
        }
        subscriber.Unsubscribed += (_, _) => source.Dispose();
        source.Begin();
        if (Action is not null)
            WriteObject(subscriber.Action);
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc/>
    protected override void OnDispose()
    {
        _stop.Cancel();
        _watch?.Dispose();
    }
}
