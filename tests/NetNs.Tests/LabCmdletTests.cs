using NetNs.Core;
using NetNs.Core.Tests;

namespace NetNs.Tests;

/// <summary>The lab cmdlets in a real runspace: -WhatIf objects, converging, errors with their ErrorIds, Use-NetNsLab cleanup.</summary>
public sealed class LabCmdletTests(PwshSession pwsh) : IClassFixture<PwshSession>, IDisposable
{
    private readonly string _lab = "nt" + Guid.NewGuid().ToString("N")[..6];

    public void Dispose()
    {
        foreach (string ns in NamedNamespaces.ListNames().Where(n => n.StartsWith(_lab + "-", StringComparison.Ordinal)))
            TestNamespaces.Ip("netns", "delete", ns);
    }

    private const string Definition = "@{ Name = $args[0]; Nodes = @{ a = @{}; b = @{} }; Links = @(@{ Endpoints = 'a:e0', 'b:e0'; Subnet = '198.18.62.0/30' }) }";

    [RootFact]
    public void WhatIfWritesThePlanAndMakesNothing()
    {
        var plan = pwsh.Ok($"Deploy-NetNsLab -Definition ({Definition}) -WhatIf", _lab).Cast<LabChange>().ToList();
        Assert.Contains(plan, c => c.Kind == LabObjectKind.Namespace && c.Target == _lab + "-a");
        Assert.Contains(plan, c => c.Kind == LabObjectKind.Address && c.Target == "198.18.62.2/30");
        Assert.False(TestNamespaces.Exists(_lab + "-a"));
    }

    [RootFact]
    public void DeployTestAndRemoveThroughTheCmdlets()
    {
        var lab = Assert.IsType<LabInfo>(Assert.Single(pwsh.Ok($"Deploy-NetNsLab -Definition ({Definition})", _lab)));
        Assert.Equal(["a", "b"], lab.Nodes);
        var cells = pwsh.Ok("Test-NetNsLab $args[0]", _lab).Cast<LabReachability>().ToList();
        Assert.Equal(2, cells.Count);
        Assert.All(cells, c => Assert.True(c.Success, c.ToString()));
        Assert.Empty(pwsh.Ok($"Deploy-NetNsLab -Definition ({Definition}) -PassThru | Where-Object {{ $_ -is [NetNs.Core.LabChange] }}", _lab));
        pwsh.Ok("Remove-NetNsLab $args[0] -Confirm:$false", _lab);
        Assert.False(TestNamespaces.Exists(_lab + "-a"));
        Assert.Equal("NamespaceNotFound,NetNs.Cmdlets.RemoveNetNsLabCommand",
            pwsh.Run("Remove-NetNsLab $args[0] -Confirm:$false", _lab).SingleError().FullyQualifiedErrorId);
    }

    [RootFact]
    public void ABadDefinitionIsOneInvalidArgumentError()
    {
        var e = pwsh.Run("Deploy-NetNsLab -Definition @{ Name = $args[0]; Nodes = @{ a = @{ Bogus = 1 } } }", _lab).SingleError();
        Assert.Equal("InvalidArgument,NetNs.Cmdlets.DeployNetNsLabCommand", e.FullyQualifiedErrorId);
        Assert.StartsWith("Nodes.a.Bogus: unknown key 'Bogus'", e.Exception.Message);
    }

    [RootFact]
    public void UseRemovesTheLabWhenTheBlockThrows()
    {
        var r = pwsh.Run($"Use-NetNsLab -Definition ({Definition}) {{ if (Test-Path ('/run/netns/' + $_.Name + '-a')) {{ throw 'inside' }} }}", _lab);
        Assert.NotNull(r.Terminating);
        Assert.Contains("inside", r.Terminating!.Message);
        Assert.False(TestNamespaces.Exists(_lab + "-a"));
    }
}
