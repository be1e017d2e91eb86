namespace NetNs.Tests;

/// <summary>Get-Help as users see it: the MAML the build made from docs/, loaded by PowerShell itself.</summary>
public sealed class ModuleHelpTests(PwshSession pwsh) : IClassFixture<PwshSession>
{
    public static TheoryData<string> CmdletNames() => [.. CmdletMetadata.ManifestCmdlets()];

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void GetHelpShowsSynopsisExamplesAndEveryParameter(string name)
    {
        string synopsis = ((string)pwsh.Ok("param($n) \"$((Get-Help $n).Synopsis)\"", name).Single()).Trim();
        Assert.False(string.IsNullOrEmpty(synopsis) || synopsis.StartsWith(name, StringComparison.Ordinal),
            $"{name}: no synopsis from the MAML (got '{synopsis}')");
        var examples = pwsh.Ok("param($n) @((Get-Help $n -Examples).examples.example).Count", name).Single();
        Assert.True((int)examples >= 2, $"{name}: {examples} examples");

        var declared = pwsh.Ok("""
            param($n)
            # -WhatIf and -Confirm are documented per cmdlet; the other common parameters are not.
            (Get-Command $n).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters }
            """, name).Cast<string>().Order(StringComparer.Ordinal).ToList();
        var described = pwsh.Ok("""
            param($n)
            foreach ($p in @((Get-Help $n -Full).parameters.parameter)) {
                if ($p.description -and ($p.description.Text -join '').Trim()) { $p.name }
            }
            """, name).Cast<string>().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(declared, described);
    }

    [Fact]
    public void AboutNetNsIsFound()
    {
        string text = string.Join("\n", pwsh.Ok("Get-Help about_NetNs | Out-String"));
        Assert.Contains("about_NetNs", text);
        Assert.Contains("New-NetNamespace", text);
        Assert.Contains("Test-NetNsConnection", text);
    }
}
