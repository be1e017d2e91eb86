using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// The reachability matrix of a running lab: from every node to every address it should reach (by its addresses,
/// routes and the routers' forwarding), ICMP echoes sent in-process and in parallel, one result per pair.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "NetNsLab")]
[OutputType(typeof(LabReachability))]
public sealed class TestNetNsLabCommand : NetNsCmdlet
{
    /// <summary>The lab's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string Name { get; set; } = "";

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
        Try(Name, () =>
        {
            var model = LabReader.Read(Name);
            if (model.Namespaces.Count == 0)
                throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "test lab", $"no lab '{Name}' is running", Name);
            using var cancel = new CancellationTokenSource();
            var task = ReachabilityMatrix.TestAsync(model, Count, TimeSpan.FromSeconds(TimeoutSeconds), cancel.Token);
            WriteObject(task.GetAwaiter().GetResult().OrderBy(r => r.From, StringComparer.Ordinal).ThenBy(r => r.To, StringComparer.Ordinal)
                .ThenBy(r => r.Address, StringComparer.Ordinal), enumerateCollection: true);
        });
    }
}
