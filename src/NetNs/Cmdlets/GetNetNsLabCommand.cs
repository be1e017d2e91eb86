using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Lists running labs with their nodes, networks, links and addresses, rebuilt from the kernel's tags. With -Path or
/// -Definition, the lab of that definition; one across hosts as each host runs its part (a Host note property).
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetNsLab", DefaultParameterSetName = NameSet)]
[OutputType(typeof(LabInfo))]
public sealed class GetNetNsLabCommand : NetNsCmdlet
{
    private const string NameSet = "Name";
    private const string PathSet = "Path";
    private const string DefinitionSet = "Definition";

    /// <summary>Lab names; wildcards allowed; all labs when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>The lab's definition file (.psd1 or .json): that lab, on every host it names.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The lab's definition (a hashtable or JSON): that lab, on every host it names.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DefinitionSet)]
    [ValidateNotNull]
    public object Definition { get; set; } = null!;

    /// <inheritdoc/>
    protected override bool RequiresPrivilege => true;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName != NameSet)
        {
            Try(ParameterSetName == PathSet ? Path : null, () =>
            {
                var definition = LabDefinitionSource.Load(ParameterSetName == PathSet ? GetUnresolvedProviderPathFromPSPath(Path) : null, Definition, null);
                if (LabHostSplitter.SpansHosts(definition))
                    WriteObject(Remoting.LabAcrossHosts.Get(this, definition), enumerateCollection: true);
                else
                    WriteObject(LabInfo.Read(definition.Name)
                        ?? throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "get lab", $"no lab '{definition.Name}' is running", definition.Name));
            });
            return;
        }
        Try(null, () =>
        {
            var labs = new List<LabInfo>();
            foreach (string name in RunningLabReader.ListLabs())
            {
                var model = RunningLabReader.Read(name);
                foreach (string ns in model.Untagged)
                    WriteWarning($"namespace '{ns}' has lab '{name}''s prefix but no tag: not part of the lab (Remove-NetNsLab leaves it alone)");
                if (model.Namespaces.Count > 0)
                    labs.Add(LabInfo.FromModel(model, LabImpairments.ReadSpec));
            }
            WriteMatching(labs, Name, WildcardOptions.None, (l, w, _) => w.IsMatch(l.Name),
                n => new NetNsException(NetNsErrorReason.NamespaceNotFound, "get lab", $"no lab '{n}' is running", n));
        });
    }
}
