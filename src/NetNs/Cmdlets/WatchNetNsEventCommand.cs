using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Streams the changes in namespaces as objects as they happen — links, addresses and routes (`ip monitor`) and
/// named namespaces (`ip netns monitor`) — until Ctrl+C, -Timeout, or the end of the pipeline (Select-Object -First).
/// </summary>
[Cmdlet(VerbsCommon.Watch, "NetNsEvent")]
[OutputType(typeof(NetNsEvent))]
public sealed class WatchNetNsEventCommand : NetNsCmdlet
{
    private readonly List<NamespaceRef> _namespaces = [];
    private readonly CancellationTokenSource _stop = new();
    private NetNsEventWatch? _watch;

    /// <summary>The namespaces to watch (names, namespace files, PIDs or NetNs objects); the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation(Many = true)]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef[]? Namespace { get; set; }

    /// <summary>What to watch: Link, Address, Route, Namespace (names under /run/netns); all of them by default.</summary>
    [Parameter]
    public NetNsEventKind[] Kind { get; set; } = [NetNsEventKind.All];

    /// <summary>Stop after this long (by default: until Ctrl+C or the end of the pipeline).</summary>
    [Parameter]
    public TimeSpan? Timeout { get; set; }

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

    /// <inheritdoc/>
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc/>
    protected override void OnDispose()
    {
        _stop.Cancel();
        _watch?.Dispose();
    }
}
