using System.Text.RegularExpressions;

namespace NetNs.Core.Tests;

/// <summary>
/// NetNs.Core's folders depend one way: Interop (libc) below everything, Namespaces below Rtnl (netlink on top of
/// namespaces). Checked on the source text: a lower folder names no type a higher one defines.
/// </summary>
public class LayeringTests
{
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

    /// <summary>The public or internal types declared in a folder's files.</summary>
    private static HashSet<string> TypesIn(string folder) =>
        [.. Directory.EnumerateFiles(Path.Combine(SourceRoot(), folder), "*.cs")
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\b(?:class|struct|enum|record(?: struct)?)\s+([A-Z]\w*)").Select(m => m.Groups[1].Value))];

    [Theory]
    [InlineData("Interop", "Errors")]
    [InlineData("Interop", "Namespaces")]
    [InlineData("Interop", "Rtnl")]
    [InlineData("Namespaces", "Rtnl")]
    [InlineData("Netlink", "Rtnl")]
    [InlineData("Rtnl", "Labs")]
    [InlineData("Nftables", "Labs")]
    [InlineData("Namespaces", "Labs")]
    [InlineData("Probes", "Labs")]
    [InlineData("Namespaces", "Containers")]
    [InlineData("Rtnl", "Containers")]
    [InlineData("Interop", "Nftables")]
    [InlineData("Interop", "Capture")]
    [InlineData("Namespaces", "Capture")]
    [InlineData("Rtnl", "Capture")]
    [InlineData("Rtnl", "Nftables")]
    [InlineData("Rtnl", "Networks")]
    [InlineData("Nftables", "Networks")]
    public void ALowerFolderNamesNoTypeOfAHigherOne(string lower, string higher)
    {
        var higherTypes = TypesIn(higher);
        higherTypes.ExceptWith(TypesIn(lower)); // partial classes spanning both are the lower's
        foreach (string file in Directory.EnumerateFiles(Path.Combine(SourceRoot(), lower), "*.cs"))
        {
            string code = Regex.Replace(File.ReadAllText(file), @"//[^\n]*", ""); // comments do not count
            foreach (string type in higherTypes)
                Assert.False(Regex.IsMatch(code, $@"\b{type}\b"), $"{lower}/{Path.GetFileName(file)} uses {higher}'s {type}");
        }
    }
}
