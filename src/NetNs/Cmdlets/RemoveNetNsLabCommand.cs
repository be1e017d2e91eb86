using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Removes exactly what a lab made, found by its tags (also when its definition is gone or it was half-made): its
/// namespaces, and with them its links. Namespaces with the lab's prefix but not its tag are left alone, with a warning.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NetNsLab", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetNsLabCommand : NetNsCmdlet
{
    /// <summary>Lab names; wildcards match the running labs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (string name in ExpandNames(Name, RunningLabReader.ListLabs))
        {
            Try(name, () =>
            {
                var lab = RunningLabReader.Read(name, LabReadDetail.Namespaces);
                var targets = LabDeployment.RemovalTargets(lab);
                if (targets.Count == 0)
                    throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "remove lab", $"no lab '{name}' is running", name);
                if (!ShouldChange(name, $"Remove lab ({targets.Count} namespaces)"))
                    return;
                LabDeployment.Remove(lab, out var leftAlone, StopToken);
                foreach (string ns in leftAlone)
                    WriteWarning($"namespace '{ns}' has lab '{name}''s prefix but no tag: not made by the lab, left alone");
            });
        }
    }
}
