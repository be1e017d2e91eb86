using System.Text.RegularExpressions;
using static NetNs.Tests.CmdletMetadata;

namespace NetNs.Tests;

/// <summary>docs/&lt;cmdlet&gt;.md (platyPS layout, turned into MAML by tools/NetNs.HelpGen) agrees with the code.</summary>
public class HelpTests
{
    public static TheoryData<string> CmdletNames() => [.. AllCmdlets.Select(c => c.Name)];

    private static string Doc(string name)
    {
        string path = Path.Combine(RepoRoot, "docs", name + ".md");
        Assert.True(File.Exists(path), $"no help: {path}");
        return File.ReadAllText(path).Replace("\r\n", "\n");
    }

    /// <summary>The text of a ## section, up to the next ## heading.</summary>
    private static string Section(string doc, string heading)
    {
        var m = Regex.Match(doc, $@"^## {Regex.Escape(heading)}\n(?<body>.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(m.Success, $"no ## {heading}");
        return m.Groups["body"].Value.Trim();
    }

    /// <summary>The documented parameters: ### -Name headings with their yaml fields.</summary>
    private static Dictionary<string, Dictionary<string, string>> DocParameters(string doc)
    {
        var result = new Dictionary<string, Dictionary<string, string>>();
        foreach (Match m in Regex.Matches(Section(doc, "PARAMETERS"), @"^### -(?<name>\S+)\n(?<text>.*?)```yaml\n(?<yaml>.*?)```", RegexOptions.Multiline | RegexOptions.Singleline))
        {
            Assert.False(string.IsNullOrWhiteSpace(m.Groups["text"].Value), $"-{m.Groups["name"].Value} has no description");
            result[m.Groups["name"].Value] = m.Groups["yaml"].Value.Split('\n')
                .Where(l => l.Contains(':')).ToDictionary(l => l[..l.IndexOf(':')].Trim(), l => l[(l.IndexOf(':') + 1)..].Trim());
        }
        return result;
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void HelpHasSynopsisDescriptionAndExamples(string name)
    {
        string doc = Doc(name);
        Assert.StartsWith("---\n", doc);
        Assert.Contains("external help file: NetNs.dll-Help.xml", doc);
        Assert.Contains("Module Name: NetNs", doc);
        Assert.Contains("schema: 2.0.0", doc);
        Assert.Contains($"\n# {name}\n", doc);
        Assert.NotEmpty(Section(doc, "SYNOPSIS"));
        Assert.NotEmpty(Section(doc, "DESCRIPTION"));
        var examples = Regex.Matches(Section(doc, "EXAMPLES"), @"^### Example \d+: [^\n]+\n```powershell\n.+?\n```\n\n\S", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(examples.Count >= 2, $"{name}: {examples.Count} examples (at least 2, each with code and an explanation)");
        foreach (string s in new[] { "SYNTAX", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" })
            _ = Section(doc, s);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void HelpDocumentsExactlyTheDeclaredParameters(string name)
    {
        var c = Cmdlet(name);
        var expected = c.ParameterNames.ToList();
        if (c.SupportsShouldProcess)
            expected.AddRange(["WhatIf", "Confirm"]);
        var documented = DocParameters(Doc(name)).Keys;
        Assert.Equal(expected.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void HelpParameterFactsMatchTheAttributes(string name)
    {
        var c = Cmdlet(name);
        var docs = DocParameters(Doc(name));
        foreach (var group in c.Parameters.GroupBy(p => p.Name))
        {
            var p = group.First();
            var yaml = docs[p.Name];
            string where = $"{name} -{p.Name}";
            Assert.True(group.Count() == 1, $"{where}: several [Parameter] attributes; the help layout here documents one");
            Assert.Equal(p.Mandatory ? "True" : "False", yaml["Required"]);
            Assert.Equal(p.Position >= 0 ? p.Position.ToString(System.Globalization.CultureInfo.InvariantCulture) : "Named", yaml["Position"]);
            Assert.Equal(p.ParameterSetName == AllSets ? "(All)" : p.ParameterSetName, yaml["Parameter Sets"]);
            Assert.Equal(string.Join(", ", p.Aliases), yaml["Aliases"]);
            Assert.Equal(p.SupportsWildcards ? "True" : "False", yaml["Accept wildcard characters"]);
            var pipe = new List<string>();
            if (p.ByPropertyName) pipe.Add("ByPropertyName");
            if (p.ByValue) pipe.Add("ByValue");
            Assert.Equal(pipe.Count == 0 ? "False" : $"True ({string.Join(", ", pipe)})", yaml["Accept pipeline input"]);
            var t = Nullable.GetUnderlyingType(p.Type) ?? p.Type;
            Assert.Equal(t.Name, yaml["Type"]);
        }
    }

    [Fact]
    public void EveryDocFileIsAnExportedCmdlet()
    {
        var names = AllCmdlets.Select(c => c.Name).ToHashSet();
        foreach (string file in Directory.GetFiles(Path.Combine(RepoRoot, "docs"), "*-*.md"))
            Assert.Contains(Path.GetFileNameWithoutExtension(file), names);
    }

    [Fact]
    public void AboutTopicExistsWithShortLines()
    {
        string path = Path.Combine(RepoRoot, "module", "en-US", "about_NetNs.help.txt");
        var lines = File.ReadAllLines(path);
        Assert.Equal("TOPIC", lines[0]);
        Assert.Contains("SHORT DESCRIPTION", lines);
        Assert.Contains("LONG DESCRIPTION", lines);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"line longer than 80: {l}"));
    }
}
