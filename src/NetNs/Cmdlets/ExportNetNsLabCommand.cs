using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Writes a lab's topology to a file: a Mermaid (.mmd) or Graphviz DOT (.dot, .gv) graph, or JSON (.json) that
/// Deploy-NetNsLab takes back; of a running lab or of a definition. The format comes from -Format or the file's
/// extension. An existing file is replaced only with -Force. Without -Path it writes the text, as ConvertTo-NetNsLab
/// does (what Export-NetNsLab did before 0.2), with a warning naming ConvertTo-NetNsLab.
/// </summary>
[Cmdlet(VerbsData.Export, "NetNsLab", DefaultParameterSetName = NameSet, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo), typeof(string))]
public sealed class ExportNetNsLabCommand : NetNsCmdlet
{
    private const string NameSet = "Name";
    private const string DefinitionPathSet = "DefinitionPath";
    private const string DefinitionSet = "Definition";

    /// <summary>A running lab's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>A .psd1 or .json definition file to export instead of a running lab.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DefinitionPathSet)]
    [ValidateNotNullOrEmpty]
    public string DefinitionPath { get; set; } = "";

    /// <summary>A definition: a hashtable or JSON string.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DefinitionSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object Definition { get; set; } = null!;

    /// <summary>The file to write.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Mermaid, Dot or Json; by default from the extension of -Path.</summary>
    [Parameter]
    public LabExportFormat? Format { get; set; }

    /// <summary>Replace the file if it exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the file's FileInfo.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Try(Name, () =>
        {
            string? file = Path is null ? null : GetUnresolvedProviderPathFromPSPath(Path);
            var format = Format ?? (file is null ? null : FormatOf(file))
                ?? throw NetNsException.Invalid("export lab", Path ?? "", Path is null
                    ? "give -Format (Mermaid, Dot or Json), and -Path for the file to write"
                    : $"cannot tell the format from '{Path}': give -Format, or a .mmd, .dot or .json file name");
            var definition = ParameterSetName switch
            {
                DefinitionPathSet => LabDefinitionSource.FromFile(GetUnresolvedProviderPathFromPSPath(DefinitionPath)),
                DefinitionSet => LabDefinitionSource.FromObject(Definition),
                _ => ConvertToNetNsLabCommand.Running(this, Name),
            };
            string text = LabExporter.Export(definition, format);
            if (file is null)
            {
                WriteWarning("Export-NetNsLab without -Path writes text; ConvertTo-NetNsLab does that, and Export-NetNsLab -Path FILE writes a file.");
                WriteObject(text);
                return;
            }
            if (File.Exists(file) && !Force)
                throw new NetNsException(NetNsErrorReason.InvalidArgument, "export lab",
                    $"'{file}' exists: use -Force to replace it (a definition file to read is -DefinitionPath)", file);
            if (!ShouldChange(file, $"Export lab '{definition.Name}' as {format}"))
                return;
            try
            {
                File.WriteAllText(file, text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(e, "ExportFailed", ErrorCategory.WriteError, file));
                return;
            }
            if (PassThru)
                WriteObject(new FileInfo(file));
        });
    }

    private static LabExportFormat? FormatOf(string file) => System.IO.Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".mmd" or ".mermaid" => LabExportFormat.Mermaid,
        ".dot" or ".gv" => LabExportFormat.Dot,
        ".json" => LabExportFormat.Json,
        _ => null,
    };
}
