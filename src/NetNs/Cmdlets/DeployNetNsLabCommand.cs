using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Deploys a lab from a definition: creates it, or converges a running one to it (only what differs changes; an
/// unchanged definition changes nothing). One bulk operation in NetNs.Core; on failure its additions are rolled back.
/// With -WhatIf the planned changes are written as objects.
/// </summary>
[Cmdlet("Deploy", "NetNsLab", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(LabInfo), typeof(LabChange))]
public sealed class DeployNetNsLabCommand : NetNsCmdlet
{
    private const string PathSet = "Path";
    private const string DefinitionSet = "Definition";

    /// <summary>A .psd1 or .json definition file.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Deploy under this lab name instead of the definition's Name (e.g. one file, several labs side by side).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>A definition: a hashtable, a JSON string, or a lab from Get-NetNsLab.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DefinitionSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object Definition { get; set; } = null!;

    /// <summary>
    /// On a lab across hosts: copy this NetNs module to each host that lacks it or runs another version (into the first
    /// module path of the remote user, as NetNs/VERSION) instead of failing.
    /// </summary>
    [Parameter]
    public SwitchParameter InstallModule { get; set; }

    /// <summary>Also write the changes made.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Try(Path, () =>
        {
            var definition = LabDefinitionSource.Load(ParameterSetName == PathSet ? GetUnresolvedProviderPathFromPSPath(Path) : null, Definition, Name);
            if (LabHostSplitter.SpansHosts(definition))
            {
                Remoting.LabAcrossHosts.Deploy(this, definition, PassThru, InstallModule);
                return;
            }
            EnsurePrivileges();
            var plan = LabDeployment.Plan(definition, StopToken);
            string action = plan.Changes.Count == 0 ? "Deploy lab (no change)" : $"Deploy lab ({plan.Changes.Count} changes)";
            if (!ShouldChange(definition.Name, action, out ShouldProcessReason reason))
            {
                if (reason == ShouldProcessReason.WhatIf)
                    WriteObject(plan.Changes, enumerateCollection: true);
                return;
            }
            var applyTime = LabDeployment.Apply(plan, StopToken);
            foreach (var c in plan.Changes)
                WriteVerbose(c.ToString());
            WriteVerbose($"lab '{definition.Name}': {plan.Changes.Count} changes in {applyTime.TotalMilliseconds:0} ms");
            if (PassThru)
                WriteObject(plan.Changes, enumerateCollection: true);
            WriteObject(LabInfo.FromModel(plan.Desired)); // what the lab now is (read back: Get-NetNsLab)
        });
    }
}
