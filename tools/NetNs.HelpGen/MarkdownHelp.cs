using System.Text.RegularExpressions;

namespace NetNs.HelpGen;

/// <summary>
/// Reads a cmdlet help file in the platyPS schema 2.0 layout: front matter, "# Name", then the ## sections
/// SYNOPSIS, SYNTAX, DESCRIPTION, EXAMPLES, PARAMETERS, INPUTS, OUTPUTS, NOTES, RELATED LINKS.
/// </summary>
internal static partial class MarkdownHelp
{
    [GeneratedRegex(@"^### Example \d+:\s*(.+)$")]
    private static partial Regex ExampleHeading();

    [GeneratedRegex(@"^\[([^\]]+)\]\(([^)]*)\)")]
    private static partial Regex Link();

    public static CommandHelp Parse(string file, string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        int i = 0;
        if (lines.Length > 0 && lines[0] == "---")
        {
            i = Array.IndexOf(lines, "---", 1);
            if (i < 0)
                throw Error(file, 1, "front matter is not closed with ---");
            if (!lines[1..i].Any(l => l.StartsWith("schema: 2.0.0", StringComparison.Ordinal)))
                throw Error(file, 1, "front matter must say schema: 2.0.0");
            i++;
        }
        while (i < lines.Length && !lines[i].StartsWith("# ", StringComparison.Ordinal))
            i++;
        if (i == lines.Length)
            throw Error(file, 1, "no '# Name' title");
        var help = new CommandHelp { Name = lines[i][2..].Trim() };
        if (!help.Name.Contains('-'))
            throw Error(file, i + 1, $"'{help.Name}' is not a Verb-Noun command name");

        // Split into ## sections, each a list of (line number, text).
        var sections = new Dictionary<string, List<(int No, string Text)>>(StringComparer.Ordinal);
        List<(int, string)>? current = null;
        for (i++; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("## ", StringComparison.Ordinal))
                sections[lines[i][3..].Trim()] = current = [];
            else
                current?.Add((i + 1, lines[i]));
        }

        help.Synopsis = string.Join(" ", Paragraphs(Section(sections, "SYNOPSIS", file, help.Name)));
        if (help.Synopsis.Length == 0)
            throw Error(file, 1, "SYNOPSIS is empty");
        help.Description.AddRange(Paragraphs(Section(sections, "DESCRIPTION", file, help.Name)));

        foreach (var (heading, body) in Subsections(Section(sections, "SYNTAX", file, help.Name)))
        {
            string code = Fenced(body).Code;
            string set = heading.EndsWith(" (Default)", StringComparison.Ordinal) ? heading[..^" (Default)".Length] : heading;
            help.Syntax.Add((set.Trim(), code.Trim()));
        }

        foreach (var (heading, body) in Subsections(Section(sections, "EXAMPLES", file, help.Name)))
        {
            var m = ExampleHeading().Match("### " + heading);
            if (!m.Success)
                throw Error(file, body.FirstOrDefault().No, $"example heading '### {heading}' is not '### Example N: title'");
            var (code, rest) = Fenced(body);
            help.Examples.Add(new ExampleHelp(m.Groups[1].Value.Trim(), code, Paragraphs(rest)));
        }

        foreach (var (heading, body) in Subsections(Section(sections, "PARAMETERS", file, help.Name)))
        {
            if (heading == "CommonParameters")
                continue;
            if (!heading.StartsWith('-'))
                throw Error(file, body.FirstOrDefault().No, $"parameter heading '### {heading}' does not start with '-'");
            var p = new ParameterHelp { Name = heading[1..].Trim() };
            int fence = body.FindIndex(l => l.Text.StartsWith("```yaml", StringComparison.Ordinal));
            if (fence < 0)
                throw Error(file, body.FirstOrDefault().No, $"parameter -{p.Name} has no ```yaml block");
            p.Description.AddRange(Paragraphs(body[..fence]));
            foreach (var (_, line) in body.Skip(fence + 1).TakeWhile(l => !l.Text.StartsWith("```", StringComparison.Ordinal)))
            {
                int colon = line.IndexOf(':');
                if (colon > 0)
                    p.Fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            if (p.Type.Length == 0)
                throw Error(file, body[fence].No, $"parameter -{p.Name} has no Type");
            help.Parameters.Add(p);
        }

        foreach (var (heading, body) in Subsections(sections.GetValueOrDefault("INPUTS") ?? []))
            help.Inputs.Add(new TypeHelp(heading, Paragraphs(body)));
        foreach (var (heading, body) in Subsections(sections.GetValueOrDefault("OUTPUTS") ?? []))
            help.Outputs.Add(new TypeHelp(heading, Paragraphs(body)));
        help.Notes.AddRange(Paragraphs(sections.GetValueOrDefault("NOTES") ?? []));
        foreach (var (_, line) in sections.GetValueOrDefault("RELATED LINKS") ?? [])
        {
            var m = Link().Match(line.Trim());
            if (m.Success)
                help.Links.Add((m.Groups[1].Value, m.Groups[2].Value));
        }
        return help;
    }

    private static List<(int No, string Text)> Section(Dictionary<string, List<(int No, string Text)>> sections,
        string name, string file, string command) =>
        sections.TryGetValue(name, out var s) ? s : throw Error(file, 1, $"{command}: no ## {name} section");

    /// <summary>The ### subsections of a section, as (heading, body lines).</summary>
    private static List<(string Heading, List<(int No, string Text)> Body)> Subsections(List<(int No, string Text)> lines)
    {
        var result = new List<(string, List<(int, string)>)>();
        bool inFence = false;
        foreach (var line in lines)
        {
            if (line.Text.StartsWith("```", StringComparison.Ordinal))
                inFence = !inFence;
            if (!inFence && line.Text.StartsWith("### ", StringComparison.Ordinal))
                result.Add((line.Text[4..].Trim(), []));
            else if (result.Count > 0)
                result[^1].Item2.Add(line);
        }
        return result;
    }

    /// <summary>The first fenced code block, and the lines after it.</summary>
    private static (string Code, List<(int No, string Text)> After) Fenced(List<(int No, string Text)> body)
    {
        int start = body.FindIndex(l => l.Text.StartsWith("```", StringComparison.Ordinal));
        if (start < 0)
            return ("", body);
        int end = body.FindIndex(start + 1, l => l.Text.StartsWith("```", StringComparison.Ordinal));
        if (end < 0)
            end = body.Count;
        string code = string.Join("\n", body.Skip(start + 1).Take(end - start - 1).Select(l => l.Text));
        return (code, body.Skip(end + 1).ToList());
    }

    /// <summary>Text split into paragraphs at blank lines; lines of one paragraph are joined with spaces.</summary>
    private static List<string> Paragraphs(IEnumerable<(int No, string Text)> lines)
    {
        var result = new List<string>();
        var para = new List<string>();
        foreach (var (_, text) in lines.Append((0, "")))
        {
            if (text.Trim().Length == 0)
            {
                if (para.Count > 0)
                    result.Add(string.Join(" ", para));
                para.Clear();
            }
            else
            {
                para.Add(text.Trim());
            }
        }
        return result;
    }

    private static FormatException Error(string file, int line, string message) => new($"{file}:{line}: {message}");
}
