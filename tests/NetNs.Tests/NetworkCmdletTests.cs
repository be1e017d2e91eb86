using System.Net;
using System.Net.Sockets;
using NetNs.Core;
using NetNs.Core.Tests;

namespace NetNs.Tests;

/// <summary>
/// The tutorial's NAT lab typed as a user would, in a real runspace: New-NetNsNetwork -Nat in a router, a wan
/// namespace on its uplink, two clients connected. TCP listeners (made inside wan and a client) say which source
/// address really arrived. The root namespace's ruleset and ip_forward are read before and after.
/// </summary>
public sealed class NetworkCmdletTests(PwshSession pwsh) : IClassFixture<PwshSession>, IDisposable
{
    private readonly TestNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    [RootFact]
    public async Task TheNatLabWorksIsSeenByASecondSessionAndIsRemovedWithoutATrace()
    {
        string rootRules = Nft(null);
        string rootForward = File.ReadAllText("/proc/sys/net/ipv4/ip_forward");
        string router = _ns.Create(), wan = _ns.Create(), red = _ns.Create(), blue = _ns.Create();
        string net = TestNamespaces.NewName();
        pwsh.Ok("""
            param($router, $wan, $red, $blue, $net)
            New-VethPair -Name wan0 -PeerName eth0 -Namespace $router -PeerNamespace $wan -Up | Out-Null
            Set-NetNsAddress $router -InterfaceAlias wan0 -IPAddress 198.18.31.1/24
            Set-NetNsAddress $wan -InterfaceAlias eth0 -IPAddress 198.18.31.10/24
            New-NetNsNetwork $net -Subnet 198.18.30.0/24 -Namespace $router -Nat -Uplink wan0 | Out-Null
            $red | Connect-NetNsNetwork $net -NetworkNamespace $router | Out-Null
            Connect-NetNsNetwork $net $blue -NetworkNamespace $router -IPAddress 198.18.30.50 | Out-Null
            """, router, wan, red, blue, net);

        // a second session (as a second pwsh would) sees the same network and rules, from the kernel alone
        using (var second = new PwshSession())
        {
            var seen = (NetNsNetwork)Assert.Single(second.Ok("param($r) Get-NetNsNetwork $r", router));
            Assert.Equal(net, seen.Name);
            Assert.True(seen.Nat);
            Assert.Equal(["198.18.30.1"], seen.Gateway.Select(g => g.ToString()));
            Assert.Equal(new[] { (blue, "198.18.30.50/24"), (red, "198.18.30.2/24") }.OrderBy(m => m.Item1, StringComparer.Ordinal),
                seen.Members.Select(m => (m.Namespace, m.IPAddress.Single().ToString())));
            var rules = second.Ok("param($r, $n) Get-NetNsNatRule $r -Network $n", router, net).Cast<NetNsNatRule>().ToList();
            Assert.Equal([NatRuleKind.Masquerade, NatRuleKind.ForwardAccept], rules.Select(r => r.Kind).Order());
            Assert.Equal("1", Assert.Single(second.Ok("param($r) (Get-NetNsSysctl $r net.ipv4.ip_forward).Value", router)));
        }

        // clients reach each other and the gateway
        var pings = pwsh.Ok("param($red) Test-NetNsConnection $red 198.18.30.50, 198.18.30.1 -Count 3", red).Cast<ConnectionTestResult>().ToList();
        Assert.All(pings, p => Assert.True(p.Success, p.ToString()));

        using var wanNs = NamespaceHandle.OpenName(wan);
        using var blueNs = NamespaceHandle.OpenName(blue);
        // masquerade: the listener in wan sees the router's wan address
        Assert.Equal("198.18.31.1", await SourceSeenAsync(wanNs, IPAddress.Parse("198.18.31.10"), 7101, () => Tcp(red, "198.18.31.10", 7101)));

        // a port-forward on the router reaches a listener in blue
        var fwd = (NetNsNatRule)Assert.Single(pwsh.Ok(
            "param($r) Add-NetNsNatRule $r -PortForward -Port 8080 -ToAddress 198.18.30.50 -ToPort 80 -InputInterface wan0 -PassThru", router));
        Assert.Equal(("tcp", 8080, 80), (fwd.Protocol, fwd.Port!.Value, fwd.ToPort!.Value));
        Assert.Equal("198.18.31.10", await SourceSeenAsync(blueNs, IPAddress.Any, 80, () => Tcp(wan, "198.18.31.1", 8080)));

        // removing the masquerade makes the connection fail (wan has no route back)
        pwsh.Ok("param($r) Get-NetNsNatRule $r -Kind Masquerade | Remove-NetNsNatRule -Confirm:$false", router);
        Assert.Null(await SourceSeenAsync(wanNs, IPAddress.Parse("198.18.31.10"), 7102, () => Tcp(red, "198.18.31.10", 7102)));

        pwsh.Ok("param($r, $b) (Get-NetNsNetwork $r).Members | Where-Object Namespace -eq $b | Disconnect-NetNsNetwork -Confirm:$false", router, blue);
        Assert.Equal(["lo"], pwsh.Ok("param($b) (Get-NetNsLink $b).Name", blue).Cast<string>());
        Assert.Equal([red], ((NetNsNetwork)Assert.Single(pwsh.Ok("param($r) Get-NetNsNetwork $r", router))).Members.Select(m => m.Namespace));
        pwsh.Ok("param($r, $h) Remove-NetNsNatRule $r $h -Confirm:$false; Get-NetNsNetwork $r | Remove-NetNsNetwork -Confirm:$false", router, fwd.Handle);

        Assert.Empty(pwsh.Ok("param($r) Get-NetNsNetwork $r; Get-NetNsNatRule $r", router));
        Assert.Equal(["lo", "wan0"], pwsh.Ok("param($r) (Get-NetNsLink $r).Name", router).Cast<string>().Order());
        Assert.Equal(["lo"], pwsh.Ok("param($r) (Get-NetNsLink $r).Name", red).Cast<string>());
        Assert.Equal("", Nft(router).Trim());
        Assert.Equal("0", Assert.Single(pwsh.Ok("param($r) (Get-NetNsSysctl $r net.ipv4.ip_forward).Value", router)));
        Assert.Equal(rootRules, Nft(null));
        Assert.Equal(rootForward, File.ReadAllText("/proc/sys/net/ipv4/ip_forward"));
    }

    [RootFact]
    public void BadInputAndMissingObjectsGetOneClearErrorEach()
    {
        string router = _ns.Create();
        Assert.Equal("InvalidArgument,NetNs.Cmdlets.AddNetNsNatRuleCommand", pwsh.Run(
            "param($r) Add-NetNsNatRule $r -Masquerade -OutputInterface 'wan0\" accept; flush ruleset'", router).SingleError().FullyQualifiedErrorId);
        Assert.Equal("InvalidArgument,NetNs.Cmdlets.AddNetNsNatRuleCommand", pwsh.Run(
            "param($r) Add-NetNsNatRule $r -Masquerade -SourcePrefix 198.18.0.0/99", router).SingleError().FullyQualifiedErrorId);
        Assert.Equal("RuleNotFound,NetNs.Cmdlets.RemoveNetNsNatRuleCommand", pwsh.Run(
            "param($r) Remove-NetNsNatRule $r 4242 -Confirm:$false", router).SingleError().FullyQualifiedErrorId);
        Assert.Equal("NetworkNotFound,NetNs.Cmdlets.GetNetNsNetworkCommand", pwsh.Run(
            "param($r) Get-NetNsNetwork $r nosuch", router).SingleError().FullyQualifiedErrorId);
        Assert.Equal("LinkNotFound,NetNs.Cmdlets.NewNetNsNetworkCommand", pwsh.Run(
            "param($r) New-NetNsNetwork nt-lab -Subnet 198.18.32.0/24 -Namespace $r -Nat -Uplink nowhere0", router).SingleError().FullyQualifiedErrorId);
        // -WhatIf makes nothing
        pwsh.Ok("param($r) New-NetNsNetwork nt-lab -Subnet 198.18.32.0/24 -Namespace $r -WhatIf; Add-NetNsNatRule $r -Masquerade -OutputInterface lo -WhatIf", router);
        Assert.Equal(["lo"], pwsh.Ok("param($r) (Get-NetNsLink $r).Name", router).Cast<string>());
        Assert.Equal("", Nft(router).Trim());
    }

    private Task Tcp(string from, string to, int port) => Task.Run(() =>
        pwsh.Run("param($n, $a, $p) Test-NetNsConnection $n $a -Port $p -TimeoutMilliseconds 2000", from, to, port));

    /// <summary>`nft list ruleset`, in the caller's namespace (null) or inside a test namespace (reading only).</summary>
    private static string Nft(string? ns)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(ns is null ? "nft" : "ip") { RedirectStandardOutput = true };
        foreach (string a in ns is null ? ["list", "ruleset"] : new[] { "netns", "exec", ns, "nft", "list", "ruleset" })
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(10_000) && p.ExitCode == 0, $"nft list ruleset failed in {ns ?? "the caller's namespace"}");
        return output;
    }

    /// <summary>Listens inside <paramref name="ns"/>, makes the connection, and returns the source the listener saw (null: none came in 3 s).</summary>
    private static async Task<string?> SourceSeenAsync(NamespaceHandle ns, IPAddress address, int port, Func<Task> connect)
    {
        using var listener = NamespaceSockets.Open(ns, AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, port));
        listener.Listen(4);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var accept = listener.AcceptAsync(cts.Token).AsTask();
        var connecting = connect();
        try
        {
            using var accepted = await accept;
            return ((IPEndPoint)accepted.RemoteEndPoint!).Address.ToString();
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        finally
        {
            await connecting;
        }
    }
}
