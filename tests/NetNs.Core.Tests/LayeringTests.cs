using System.Text.RegularExpressions;

namespace NetNs.Core.Tests;

/// <summary>
/// NetNs.Core's folders depend one way, in this order (a folder may use the ones before it, never the ones after, and
/// the four siblings of one level not each other): Interop &lt; Errors &lt; Validation &lt; Model &lt; Netlink &lt; Namespaces
/// &lt; Rtnl &lt; {Capture, Containers, Probes, Sockets, Nftables} &lt; Labs. Checked on the source text: a lower folder names no
/// type a higher (or sibling) one defines. Every folder of the library is in the picture, and no exception is listed.
/// </summary>
public class LayeringTests
{
    private static readonly string[][] Levels =
    [
        ["Interop"], ["Errors"], ["Validation"], ["Model"], ["Netlink"], ["Namespaces"], ["Rtnl"],
        ["Capture", "Containers", "Probes", "Sockets", "Nftables"], ["Labs"],
    ];

    private static string SourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string core = Path.Combine(dir.FullName, "src", "NetNs.Core");
            if (Directory.Exists(core))
                return core;
        }
        throw new InvalidOperationException("src/NetNs.Core not found");
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(Path.Combine(SourceRoot(), folder), "*.cs", SearchOption.AllDirectories);

    /// <summary>
    /// The top-level types declared in a folder's files (file-scoped namespaces: a declaration at column 0; a nested
    /// type is only named through its outer one). A partial type declared in several folders is each folder's.
    /// </summary>
    private static HashSet<string> TypesIn(string folder) =>
        [.. Files(folder).SelectMany(f => Regex.Matches(File.ReadAllText(f),
            @"^(?:(?:public|internal|private|file|sealed|static|abstract|partial|readonly|unsafe|ref)\s+)*(?:class|struct|enum|interface|record(?:\s+struct)?)\s+([A-Z]\w*)",
            RegexOptions.Multiline).Select(m => m.Groups[1].Value))];

    // What a folder's code names: comments and enum member declarations (a line that is only "Name," or "Name = 3,")
    // do not count.
    private static string Code(string file) =>
        Regex.Replace(Regex.Replace(File.ReadAllText(file), @"//[^\n]*", ""), @"^\s*[A-Z]\w*\s*(?:=\s*[^,\n]+)?,?\s*$", "", RegexOptions.Multiline);

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        for (int i = 0; i < Levels.Length; i++)
        {
            foreach (string lower in Levels[i])
            {
                foreach (string higher in Levels.Skip(i).SelectMany(l => l).Where(h => h != lower && (Array.IndexOf(Levels[i], h) < 0 || Levels[i].Length > 1)))
                    data.Add(lower, higher);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void AFolderNamesNoTypeOfAHigherOrSiblingOne(string lower, string higher)
    {
        var higherTypes = TypesIn(higher);
        higherTypes.ExceptWith(TypesIn(lower)); // a partial type spanning both is the lower's
        foreach (string file in Files(lower))
        {
            string code = Code(file);
            // (?<!\.): a member of the same name (ObjectKind.Sysctl) is not the type
            foreach (string type in higherTypes)
                Assert.False(Regex.IsMatch(code, $@"(?<!\.)\b{type}\b"), $"{lower}/{Path.GetFileName(file)} uses {higher}'s {type}");
        }
    }

    [Fact]
    public void EveryFolderOfTheLibraryIsInTheOrder()
    {
        var folders = Directory.EnumerateDirectories(SourceRoot()).Select(d => Path.GetFileName(d)!)
            .Where(d => d is not ("bin" or "obj")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Levels.SelectMany(l => l).Order(StringComparer.Ordinal).ToList(), folders);
        Assert.Empty(Directory.EnumerateFiles(SourceRoot(), "*.cs")); // no file outside the picture
    }
}
