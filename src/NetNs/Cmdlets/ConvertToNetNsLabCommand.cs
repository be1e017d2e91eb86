using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Converts a lab's topology to text: a Mermaid or Graphviz DOT graph, or JSON that Deploy-NetNsLab takes back; of a
/// running lab (from the kernel), or of a definition before it is deployed. Export-NetNsLab writes the same to a file.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "NetNsLab", DefaultParameterSetName = NameSet)]
[OutputType(typeof(string))]
public sealed class ConvertToNetNsLabCommand : NetNsCmdlet
{
    private const string NameSet = "Name";
    private const string PathSet = "Path";
    private const string DefinitionSet = "Definition";

    /// <summary>A running lab's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>A .psd1 or .json definition file.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>A definition: a hashtable or JSON string.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DefinitionSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object Definition { get; set; } = null!;

    /// <summary>Mermaid, Dot or Json.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public LabExportFormat Format { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Try(Name, () =>
        {
            var definition = ParameterSetName switch
            {
                PathSet => LabDefinitionSource.FromFile(GetUnresolvedProviderPathFromPSPath(Path)),
                DefinitionSet => LabDefinitionSource.FromObject(Definition),
                _ => Running(this, Name),
            };
            WriteObject(LabExporter.Export(definition, Format));
        });
    }

    /// <summary>The definition of running lab <paramref name="name"/>, read from the kernel; NamespaceNotFound when none runs.</summary>
    internal static LabDefinition Running(NetNsCmdlet cmdlet, string name)
    {
        cmdlet.EnsurePrivileges();
        return (LabInfo.Read(name) ?? throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "export lab", $"no lab '{name}' is running", name)).Definition;
    }
}
