using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Measures what goes through links over an interval: bits and packets per second each way, drops and errors, from two
/// samples of the kernel's counters (IFLA_STATS64, `ip -s link show` twice). Every link of the pipeline is measured over
/// the same interval: the first samples are all taken, then one wait, then the second samples.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "NetNsLink")]
[OutputType(typeof(NetNsLinkRate))]
public sealed class MeasureNetNsLinkCommand : NetNsCmdlet
{
    private readonly List<(NamespaceRef Ns, List<string> Names)> _wanted = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>The namespace the links are in (a name, a namespace file, a PID, or a NetNs object); the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>The links to measure; wildcards allowed (matched against the links there at the start).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("InterfaceAlias")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    [ObjectNameTransformation("Namespace", "Name", "InterfaceAlias")]
    public string[] Name { get; set; } = [];

    /// <summary>How long to measure (10 ms to 24 h): '5s', '500ms', a number of milliseconds, or a TimeSpan; 1 second by default.</summary>
    [Parameter]
    [TimeValueTransformation]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            LinkRateMeter.CheckDuration(Duration);
        }
        catch (NetNsException e)
        {
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, Duration));
        }
    }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        var ns = Namespace ?? NamespaceRef.Current;
        Try(Namespace?.ToString(), () =>
        {
            var rtnl = Rtnl(ns); // fails here, once, for a namespace that is not there
            var entry = _wanted.FirstOrDefault(w => w.Ns.Equals(ns));
            if (entry.Names is null)
            {
                entry = (ns, []);
                _wanted.Add(entry);
            }
            List<string>? existing = null;
            foreach (string pattern in Name)
            {
                if (!WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    Names.CheckInterfaceName(pattern, "measure link");
                    if (!entry.Names.Contains(pattern))
                        entry.Names.Add(pattern);
                    continue;
                }
                var wildcard = Wildcards.Compile(pattern, WildcardOptions.None);
                existing ??= rtnl.GetLinks().Select(l => l.Name).ToList();
                foreach (string name in existing.Where(wildcard.IsMatch).Where(n => !entry.Names.Contains(n)))
                    entry.Names.Add(name);
            }
        });
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var meters = new List<(NamespaceRef Ns, LinkRateMeter Meter)>();
        foreach (var (ns, names) in _wanted)
        {
            Try(ns.ToString(), () =>
            {
                var rtnl = Rtnl(ns);
                // A missing link is an error of its own; the others of the namespace are still measured.
                var here = rtnl.GetLinks().Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
                foreach (string missing in names.Where(n => !here.Contains(n)))
                    WriteNetNsError(NetNsException.NotFound(ObjectKind.Link, missing, ns.Kind == NamespaceRefKind.Current ? null : ns.ToString()), missing);
                var present = names.Where(here.Contains).ToList();
                if (present.Count > 0)
                    meters.Add((ns, LinkRateMeter.Start(rtnl, present)));
            });
        }
        if (meters.Count == 0)
            return;
        _stop.Token.WaitHandle.WaitOne(Duration);
        if (_stop.IsCancellationRequested)
            return;
        foreach (var (ns, meter) in meters)
            Try(ns.ToString(), () => WriteObject(meter.Finish(), enumerateCollection: true));
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stop.Cancel();
}
