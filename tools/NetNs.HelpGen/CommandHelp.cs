namespace NetNs.HelpGen;

/// <summary>One cmdlet's help, as read from its platyPS markdown file.</summary>
internal sealed class CommandHelp
{
    public required string Name { get; init; }
    public string Synopsis { get; set; } = "";
    public List<string> Description { get; } = [];
    /// <summary>Parameter set name (without " (Default)"; "__AllParameterSets" for the single set) and its syntax line.</summary>
    public List<(string Set, string Syntax)> Syntax { get; } = [];
    public List<ExampleHelp> Examples { get; } = [];
    public List<ParameterHelp> Parameters { get; } = [];
    public List<TypeHelp> Inputs { get; } = [];
    public List<TypeHelp> Outputs { get; } = [];
    public List<string> Notes { get; } = [];
    public List<(string Text, string Uri)> Links { get; } = [];

    public string Verb => Name[..Name.IndexOf('-')];
    public string Noun => Name[(Name.IndexOf('-') + 1)..];
}

internal sealed record ExampleHelp(string Title, string Code, List<string> Remarks);

internal sealed record TypeHelp(string Type, List<string> Description);

/// <summary>A parameter: its description and the fields of its ```yaml block.</summary>
internal sealed class ParameterHelp
{
    public required string Name { get; init; }
    public List<string> Description { get; } = [];
    public Dictionary<string, string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string Field(string key) => Fields.TryGetValue(key, out var v) ? v : "";
    public string Type => Field("Type");
    public bool Required => Field("Required").Equals("True", StringComparison.OrdinalIgnoreCase);
    public bool Globbing => Field("Accept wildcard characters").Equals("True", StringComparison.OrdinalIgnoreCase);
    public bool IsSwitch => Type == "SwitchParameter";

    /// <summary>Whether the parameter is in a set ("(All)", or the set named in "Parameter Sets").</summary>
    public bool InSet(string set) =>
        set == "__AllParameterSets" || Field("Parameter Sets") is "(All)" or ""
        || Field("Parameter Sets").Split(',', StringSplitOptions.TrimEntries).Contains(set);
}
