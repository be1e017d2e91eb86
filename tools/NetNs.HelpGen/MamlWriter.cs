using System.Xml.Linq;

namespace NetNs.HelpGen;

/// <summary>Writes commands as MAML, the XML that Get-Help reads (the layout platyPS's New-ExternalHelp emits).</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

    public static XDocument Write(IEnumerable<CommandHelp> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(CommandElement)));

    private static XElement CommandElement(CommandHelp c) =>
        new(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
            new XElement(Command + "details",
                new XElement(Command + "name", c.Name),
                new XElement(Command + "verb", c.Verb),
                new XElement(Command + "noun", c.Noun),
                Description([c.Synopsis])),
            Description(c.Description),
            new XElement(Command + "syntax", c.Syntax.Select(s =>
                new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", c.Name),
                    c.Parameters.Where(p => p.InSet(s.Set)).Select(p => Parameter(p, inSyntax: true)))),
                // A file with no ### set headings still gets one syntax item with every parameter.
                c.Syntax.Count == 0 ? new XElement(Command + "syntaxItem", new XElement(Maml + "name", c.Name),
                    c.Parameters.Select(p => Parameter(p, inSyntax: true))) : null),
            new XElement(Command + "parameters", c.Parameters.Select(p => Parameter(p, inSyntax: false))),
            new XElement(Command + "inputTypes", c.Inputs.Select(t =>
                new XElement(Command + "inputType", TypeElement(t.Type), Description(t.Description)))),
            new XElement(Command + "returnValues", c.Outputs.Select(t =>
                new XElement(Command + "returnValue", TypeElement(t.Type), Description(t.Description)))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(c.Notes))),
            new XElement(Command + "examples", c.Examples.Select((e, i) =>
                new XElement(Command + "example",
                    new XElement(Maml + "title", $"--------- Example {i + 1}: {e.Title} ---------"),
                    new XElement(Dev + "code", e.Code),
                    new XElement(Dev + "remarks", Paras(e.Remarks.Append("")))))),
            new XElement(Maml + "relatedLinks", c.Links.Select(l =>
                new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", l.Text),
                    // Links to other markdown files are by name only; Get-Help shows the text.
                    new XElement(Maml + "uri", l.Uri.StartsWith("http", StringComparison.Ordinal) ? l.Uri : "")))));

    private static XElement Parameter(ParameterHelp p, bool inSyntax)
    {
        string position = p.Field("Position") is var pos && int.TryParse(pos, out _) ? pos : "named";
        string aliases = p.Field("Aliases") is { Length: > 0 } a ? a : "none";
        string pipeline = p.Field("Accept pipeline input") is { Length: > 0 } pi ? pi : "False";
        string[] accepted = p.Field("Accepted values") is { Length: > 0 } av ? av.Split(',', StringSplitOptions.TrimEntries) : [];
        return new XElement(Command + "parameter",
            new XAttribute("required", p.Required ? "true" : "false"),
            new XAttribute("variableLength", p.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", p.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", position),
            new XAttribute("aliases", aliases),
            new XElement(Maml + "name", p.Name),
            Description(p.Description),
            inSyntax && accepted.Length > 0
                ? new XElement(Command + "parameterValueGroup", accepted.Select(v =>
                    new XElement(Command + "parameterValue", new XAttribute("required", "false"),
                        new XAttribute("variableLength", "false"), v)))
                : null,
            p.IsSwitch && inSyntax ? null
                : new XElement(Command + "parameterValue",
                    new XAttribute("required", p.IsSwitch ? "false" : "true"),
                    new XAttribute("variableLength", "false"), p.Type),
            TypeElement(p.Type),
            new XElement(Dev + "defaultValue", p.Field("Default value") is { Length: > 0 } d ? d : "None"));
    }

    private static XElement TypeElement(string type) =>
        new(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri"));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paras(paragraphs));

    private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) =>
        paragraphs.Select(p => new XElement(Maml + "para", p));
}
