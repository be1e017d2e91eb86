using NetNs.Core;
using NetNs.Core.Tests;

namespace NetNs.Tests;

/// <summary>The lab cmdlets on definitions with Hosts, where no host is needed: failures before anything changes.</summary>
public sealed class LabHostsCmdletTests(PwshSession pwsh) : IClassFixture<PwshSession>, IDisposable
{
    private readonly string _lab = "nt" + Guid.NewGuid().ToString("N")[..6];

    public void Dispose()
    {
        foreach (string ns in NamedNamespaces.ListNames().Where(n => n.StartsWith(_lab + "-", StringComparison.Ordinal)))
            TestNamespaces.Ip("netns", "delete", ns);
    }

    // Host x cannot be reached: ssh's ProxyCommand fails at once (no packet leaves this machine). Node l is local.
    private const string Definition = "@{ Name = $args[0]; Hosts = @{ x = @{ HostName = '198.18.250.77'; UserName = 'nobody'; KeyFilePath = '/nonexistent/secret_key'; Options = @{ ProxyCommand = '/bin/false' } } }; " +
        "Nodes = @{ l = @{}; h = @{ Host = 'x' } }; Networks = @{ lan = @{ Subnet = '198.18.63.0/24'; Members = 'l' } } }";

    [RootFact]
    public void AnUnreachableHostFailsTheDeployBeforeAnythingChangesHereNamingTheHost()
    {
        var e = pwsh.Run($"Deploy-NetNsLab -Definition ({Definition})", _lab).SingleError();
        Assert.Equal("HostUnreachable,NetNs.Cmdlets.DeployNetNsLabCommand", e.FullyQualifiedErrorId);
        Assert.Contains("host x (nobody@198.18.250.77)", e.Exception.Message);
        Assert.DoesNotContain("secret_key", e.Exception.Message); // no credential in errors
        Assert.False(TestNamespaces.Exists(_lab + "-l")); // the local part was not made either
        Assert.False(TestNamespaces.Exists(_lab + "-lan"));
    }

    [RootFact]
    public void WhatIfAlsoNeedsEveryHost()
    {
        var e = pwsh.Run($"Deploy-NetNsLab -Definition ({Definition}) -WhatIf", _lab).SingleError();
        Assert.Equal("HostUnreachable,NetNs.Cmdlets.DeployNetNsLabCommand", e.FullyQualifiedErrorId);
    }

    [RootFact]
    public void RemoveReportsTheUnreachableHostAndRemovesTheLocalPart()
    {
        pwsh.Ok("Deploy-NetNsLab -Definition @{ Name = $args[0]; Nodes = @{ l = @{} } }", _lab);
        Assert.True(TestNamespaces.Exists(_lab + "-l"));
        var r = pwsh.Run($"Remove-NetNsLab -Definition ({Definition}) -Confirm:$false", _lab);
        Assert.Equal("HostUnreachable,NetNs.Cmdlets.RemoveNetNsLabCommand", r.SingleError().FullyQualifiedErrorId);
        Assert.False(TestNamespaces.Exists(_lab + "-l"));
    }

    [RootFact]
    public void UseOnAnUnreachableHostRunsNothingAndMakesNothing()
    {
        var r = pwsh.Run($"Use-NetNsLab -Definition ({Definition}) {{ 'ran' }}", _lab);
        Assert.Empty(r.Output);
        var e = r.SingleError();
        Assert.Equal("HostUnreachable,NetNs.Cmdlets.UseNetNsLabCommand", e.FullyQualifiedErrorId);
        Assert.False(TestNamespaces.Exists(_lab + "-l"));
    }

    [RootFact]
    public void RemoveByDefinitionRemovesALocalLab()
    {
        pwsh.Ok("Deploy-NetNsLab -Definition @{ Name = $args[0]; Nodes = @{ l = @{} } }", _lab);
        pwsh.Ok("Remove-NetNsLab -Definition @{ Name = $args[0]; Nodes = @{ l = @{} } } -Confirm:$false", _lab);
        Assert.False(TestNamespaces.Exists(_lab + "-l"));
    }
}
