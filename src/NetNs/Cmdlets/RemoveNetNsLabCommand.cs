using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Removes exactly what a lab made, found by its tags (also when its definition is gone or it was half-made): its
/// namespaces, and with them its links. Namespaces with the lab's prefix but not its tag are left alone, with a warning.
/// With -Path or -Definition, the lab of that definition; one across hosts is removed on every host it names.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NetNsLab", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(void))]
public sealed class RemoveNetNsLabCommand : NetNsCmdlet
{
    private const string NameSet = "Name";
    private const string PathSet = "Path";
    private const string DefinitionSet = "Definition";

    /// <summary>Lab names; wildcards match the running labs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The lab's definition file (.psd1 or .json): its lab is removed, on every host it names.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The lab's definition (a hashtable or JSON): its lab is removed, on every host it names.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DefinitionSet)]
    [ValidateNotNull]
    public object Definition { get; set; } = null!;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName != NameSet)
        {
            Try(ParameterSetName == PathSet ? Path : null, () =>
            {
                var definition = LabDefinitionSource.Load(ParameterSetName == PathSet ? GetUnresolvedProviderPathFromPSPath(Path) : null, Definition, null);
                if (LabHostSplitter.SpansHosts(definition))
                    Remoting.LabAcrossHosts.Remove(this, definition, () => RemoveLocal(definition.Name, ask: false));
                else if (!RemoveLocal(definition.Name, ask: true))
                    throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "remove lab", $"no lab '{definition.Name}' is running", definition.Name);
            });
            return;
        }
        foreach (string name in ExpandNames(Name, RunningLabReader.ListLabs))
        {
            Try(name, () =>
            {
                if (!RemoveLocal(name, ask: true))
                    throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "remove lab", $"no lab '{name}' is running", name);
            });
        }
    }

    // False when nothing of the lab is here.
    private bool RemoveLocal(string name, bool ask)
    {
        var lab = RunningLabReader.Read(name, LabReadDetail.Namespaces, StopToken);
        var targets = LabDeployment.RemovalTargets(lab);
        if (targets.Count == 0)
            return false;
        if (ask && !ShouldChange(name, $"Remove lab ({targets.Count} namespaces)"))
            return true;
        LabDeployment.Remove(lab, out var leftAlone, StopToken);
        foreach (string ns in leftAlone)
            WriteWarning($"namespace '{ns}' has lab '{name}''s prefix but no tag: not made by the lab, left alone");
        return true;
    }
}
