using NetNs.Core.Tests;

namespace NetNs.Tests;

/// <summary>Tab completion as TabExpansion2 offers it in a real runspace.</summary>
public sealed class CompletionTests(PwshSession pwsh) : IClassFixture<PwshSession>, IDisposable
{
    private readonly TestNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    private List<string> Complete(string line) =>
        pwsh.Ok("param($l) (TabExpansion2 -inputScript $l -cursorColumn $l.Length).CompletionMatches.CompletionText", line)
            .Cast<string>().ToList();

    [RootFact]
    public void NamespaceParametersCompleteWithTheNamesUnderRunNetns()
    {
        string ns = _ns.Create();
        foreach (string cmd in new[] { "Get-NetNsLink -Namespace ", "New-VethPair -PeerNamespace ", "Set-NetNsSysctl -Namespace ", "Test-NetNsConnection -Namespace ", "Remove-NetNamespace -Name " })
            Assert.True(Complete(cmd + ns[..8]).Contains(ns), $"{cmd}{ns[..8]} does not complete to {ns}");
    }

    [RootFact]
    public void LinkAndBridgeNamesCompleteInsideTheNamespaceOnTheLine()
    {
        string ns = _ns.Create();
        TestNamespaces.Ip("-n", ns, "link", "add", "nt-br1", "type", "bridge");
        TestNamespaces.Ip("-n", ns, "link", "add", "nt-ve1", "type", "veth", "peer", "name", "nt-ve2");
        Assert.Equal(["nt-br1", "nt-ve1", "nt-ve2"], Complete($"Get-NetNsLink -Namespace {ns} -Name nt-"));
        Assert.Equal(["nt-br1"], Complete($"Add-BridgePort -Namespace {ns} -Bridge nt-"));
        Assert.Empty(Complete("Get-NetNsLink -Name nt-br")); // the caller's namespace has no such link
    }

    [RootFact]
    public void NetworkNamesCompleteInTheNetworksNamespace()
    {
        string router = _ns.Create(), member = _ns.Create();
        pwsh.Ok("param($r) New-NetNsNetwork nt-net1 -Subnet 198.18.36.0/24 -Namespace $r | Out-Null", router);
        Assert.Equal(["nt-net1"], Complete($"Get-NetNsNetwork -Namespace {router} -Name nt-"));
        Assert.Equal(["nt-net1"], Complete($"Connect-NetNsNetwork -Namespace {member} -NetworkNamespace {router} -Network nt-"));
        Assert.Empty(Complete($"Connect-NetNsNetwork -Namespace {router} -Network nt-")); // the caller's own namespace has none
    }

    [RootFact]
    public void SysctlKeysCompleteOnePartAtATimeWithTheNamespacesOwnInterfaces()
    {
        string ns = _ns.Create();
        TestNamespaces.Ip("-n", ns, "link", "add", "nt-sys1", "type", "veth", "peer", "name", "nt-sys2");
        Assert.Equal(["net."], Complete($"Get-NetNsSysctl -Namespace {ns} -Key n"));
        Assert.Contains("net.ipv4.", Complete($"Get-NetNsSysctl -Namespace {ns} -Key net.ip"));
        Assert.Equal(["net.ipv4.ip_forward", "net.ipv4.ip_forward_update_priority", "net.ipv4.ip_forward_use_pmtu"], Complete($"Set-NetNsSysctl -Namespace {ns} -Key net.ipv4.ip_forw"));
        Assert.Equal(["net.ipv4.conf.nt-sys1.", "net.ipv4.conf.nt-sys2."], Complete($"Get-NetNsSysctl {ns} net.ipv4.conf.nt-"));
        Assert.Empty(Complete("Get-NetNsSysctl -Key net.ipv4.conf.nt-sys")); // the caller's namespace has no such link
        Assert.Empty(Complete($"Get-NetNsSysctl {ns} kernel.")); // only net.*
    }
}
