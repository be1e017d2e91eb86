using System.Text.RegularExpressions;

namespace NetNs.Tests;

/// <summary>One version for the module, and the PowerShell these tests host is the one the build pins.</summary>
public sealed class ModuleManifestTests(PwshSession pwsh) : IClassFixture<PwshSession>
{
    [Fact]
    public void TheAssembliesCarryTheManifestVersion()
    {
        var r = pwsh.Ok("""
            $m = Get-Module NetNs
            $m.Version.ToString(3)
            [NetNs.ErrorMapping].Assembly.GetName().Version.ToString(3)
            [NetNs.Core.NetNsException].Assembly.GetName().Version.ToString(3)
            """);
        Assert.Equal(3, r.Count);
        Assert.All(r, v => Assert.Equal(r[0], v));
        Assert.Matches(@"^\d+\.\d+\.\d+$", (string)r[0]);
    }

    [Fact]
    public void TheHostedPowerShellIsThePinnedTool()
    {
        string manifest = File.ReadAllText(Path.Combine(CmdletMetadata.RepoRoot, ".config", "dotnet-tools.json"));
        string pinned = Regex.Match(manifest, "\"powershell\"\\s*:\\s*{\\s*\"version\"\\s*:\\s*\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(pinned);
        Assert.Equal(pinned, pwsh.Ok("$PSVersionTable.PSVersion.ToString()").Single());
    }

    [Fact]
    public void TheManifestExportsWhatTheModuleHas()
    {
        var exported = pwsh.Ok("(Get-Command -Module NetNs -CommandType Cmdlet).Name").Cast<string>().Order(StringComparer.Ordinal);
        Assert.Equal(CmdletMetadata.ManifestCmdlets().Order(StringComparer.Ordinal), exported);
    }
}
