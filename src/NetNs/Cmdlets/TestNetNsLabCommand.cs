using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// The reachability matrix of a running lab: from every node to every address it should reach (by its addresses,
/// routes and the routers' forwarding), ICMP echoes sent in-process and in parallel, one result per pair. By name
/// the expectations come from the lab as it runs; with -Path or -Definition from the definition, so an address or
/// route the running lab lost is a failed pair rather than a pair not tested.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "NetNsLab", DefaultParameterSetName = NameSet)]
[OutputType(typeof(LabReachability))]
public sealed class TestNetNsLabCommand : NetNsCmdlet
{
    private const string NameSet = "Name";
    private const string PathSet = "Path";
    private const string DefinitionSet = "Definition";

    /// <summary>
    /// The lab's name (needed unless -Path or -Definition is given); with those, the name it was deployed under
    /// (instead of the definition's Name).
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>The lab's definition file (.psd1 or .json): the pairs it should reach are worked out from it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The lab's definition (a hashtable or JSON): the pairs it should reach are worked out from it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DefinitionSet)]
    [ValidateNotNull]
    public object Definition { get; set; } = null!;

    /// <summary>
    /// Probe only from these nodes (by name); the others' namespaces need not exist here. On a lab across hosts, the
    /// named nodes probe wherever they live.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? From { get; set; }

    /// <summary>Echo requests per pair (a pair passes when any is answered).</summary>
    [Parameter]
    [ValidateRange(1, 10)]
    public int Count { get; set; } = 2;

    /// <summary>Seconds to wait for each reply.</summary>
    [Parameter]
    [ValidateRange(0.05, 10.0)]
    public double TimeoutSeconds { get; set; } = 1;

    /// <inheritdoc/>
    protected override bool RequiresPrivilege => true;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Try(ParameterSetName == PathSet ? Path : Name, () =>
        {
            LabModel model;
            if (ParameterSetName == NameSet)
            {
                if (Name.Length == 0)
                    throw NetNsException.Invalid("test lab", "", "name the lab (-Name), or give its definition (-Path or -Definition)");
                model = RunningLabReader.Read(Name, cancel: StopToken);
            }
            else
            {
                var definition = LabDefinitionSource.Load(ParameterSetName == PathSet ? GetUnresolvedProviderPathFromPSPath(Path) : null, Definition, Name);
                if (LabHostSplitter.SpansHosts(definition))
                {
                    WriteObject(Remoting.LabAcrossHosts.Test(this, definition, From, Count, TimeoutSeconds), enumerateCollection: true);
                    return;
                }
                model = RunningLabReader.HasNamespaces(definition.Name) ? LabResolver.Resolve(definition) : new LabModel { Name = definition.Name };
            }
            if (model.Namespaces.Count == 0)
                throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "test lab", $"no lab '{model.Name}' is running", model.Name);
            var task = ReachabilityMatrix.TestAsync(model, From?.ToHashSet(StringComparer.Ordinal), Count, TimeSpan.FromSeconds(TimeoutSeconds), StopToken);
            WriteObject(task.GetAwaiter().GetResult().OrderBy(r => r.From, StringComparer.Ordinal).ThenBy(r => r.To, StringComparer.Ordinal)
                .ThenBy(r => r.Address, StringComparer.Ordinal), enumerateCollection: true);
        });
    }
}
