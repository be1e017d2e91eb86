using NetNs.Core;
using NetNs.Core.Tests;

namespace NetNs.Tests;

/// <summary>
/// Parameter binding as PowerShell itself does it, in a real runspace with the staged module: positions, pipeline
/// input by value and by property name, the README's pipelines, -WhatIf, and the empty-namespace guard.
/// </summary>
public sealed class BindingTests(PwshSession pwsh) : IClassFixture<PwshSession>, IDisposable
{
    private readonly TestNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    [RootFact]
    public void NamesBindByPositionAndFromThePipelineByValue()
    {
        string a = _ns.Track(TestNamespaces.NewName()), b = _ns.Track(TestNamespaces.NewName()), c = _ns.Track(TestNamespaces.NewName());
        var made = pwsh.Ok("param($a, $b, $c) New-NetNamespace $a; $b, $c | New-NetNamespace", a, b, c);
        Assert.Equal([a, b, c], made.Cast<NetNamespace>().Select(n => n.Name));
        Assert.All([a, b, c], n => Assert.True(TestNamespaces.Exists(n)));

        pwsh.Ok("param($a, $b) Remove-NetNamespace $a -Confirm:$false; Get-NetNamespace $b | Remove-NetNamespace -Confirm:$false", a, b);
        Assert.False(TestNamespaces.Exists(a));
        Assert.False(TestNamespaces.Exists(b));
        Assert.True(TestNamespaces.Exists(c));
    }

    [RootFact]
    public void NamespaceObjectsAndNamesBindByValueToTheReadCmdlets()
    {
        string ns = _ns.Create();
        var byName = pwsh.Ok("param($n) $n | Get-NetNsLink", ns).Cast<NetNsLink>().ToList();
        var byObject = pwsh.Ok("param($n) Get-NetNamespace $n | Get-NetNsLink", ns).Cast<NetNsLink>().ToList();
        Assert.Equal("lo", Assert.Single(byName).Name);
        Assert.Equal(ns, Assert.Single(byObject).Namespace);
        Assert.Equal(ns, Assert.Single(pwsh.Ok("param($n) Get-NetNamespace $n | Get-BridgePort; Get-NetNamespace $n", ns).Cast<NetNamespace>()).Name);
    }

    [RootFact]
    public void TheReadmePipelinesWork()
    {
        string red = _ns.Track(TestNamespaces.NewName()), blue = _ns.Track(TestNamespaces.NewName());
        var r = pwsh.Ok("""
            param($red, $blue)
            $red, $blue | New-NetNamespace | Out-Null
            New-VethPair -Name veth-red -PeerName veth-blue -Namespace $red -PeerNamespace $blue -Up | Out-Null
            Set-NetNsAddress -Namespace $red  -InterfaceAlias veth-red  -IPAddress 198.18.62.1/24
            Set-NetNsAddress -Namespace $blue -InterfaceAlias veth-blue -IPAddress 198.18.62.2/24
            (Get-NetNsLink -Namespace $red -Name veth-red).PeerNamespace
            (Test-NetNsConnection -Namespace $red -TargetAddress 198.18.62.2).Success
            Get-NetNamespace $red, $blue | Remove-NetNamespace -Confirm:$false
            """, red, blue);
        Assert.Equal([blue, true], r);
        Assert.False(TestNamespaces.Exists(red));
        Assert.False(TestNamespaces.Exists(blue));
    }

    [RootFact]
    public void OutputObjectsBindByPropertyNameIntoTheNextCmdlet()
    {
        string a = _ns.Create(), b = _ns.Create();
        TestNamespaces.Ip("-n", a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b);
        TestNamespaces.Ip("-n", a, "link", "add", "br0", "type", "bridge");
        var r = pwsh.Ok("""
            param($a, $b)
            # NetNsLink -> Set-NetNsLink (Name, Namespace)
            Get-NetNsLink -Namespace $a -Name va | Set-NetNsLink -Mtu 1400 -Up -PassThru | ForEach-Object { "$($_.Name) $($_.Mtu) $($_.State)" }
            # NetNsLink -> Add-BridgePort (Name, Namespace), BridgePort -> Remove-BridgePort
            Get-NetNsLink -Namespace $a -Name va | Add-BridgePort -Bridge br0 -PassThru | ForEach-Object { "port $($_.Name) $($_.Bridge)" }
            Get-BridgePort -Namespace $a -Bridge br0 | Remove-BridgePort -Confirm:$false
            # NetNsAddress -> Remove-NetNsAddress (IPAddress, PrefixLength, InterfaceAlias, Namespace)
            Set-NetNsAddress -Namespace $a -InterfaceAlias va -IPAddress 198.18.63.1/24, 198.19.63.1/24
            Get-NetNsAddress -Namespace $a -IPAddress 198.19.* | Remove-NetNsAddress -Confirm:$false
            (Get-NetNsAddress -Namespace $a -InterfaceAlias va -AddressFamily IPv4).IPAddress
            # NetNsRoute -> Remove-NetNsRoute
            New-NetNsRoute -Namespace $a -DestinationPrefix 198.18.200.0/24 -NextHop 198.18.63.254 | Out-Null
            Get-NetNsRoute -Namespace $a -DestinationPrefix 198.18.200.0/24 | Remove-NetNsRoute -Confirm:$false
            @(Get-NetNsRoute -Namespace $a -DestinationPrefix 198.18.200.0/24 -ErrorAction SilentlyContinue).Count
            # NetNsLink -> Remove-NetNsLink
            Get-NetNsLink -Namespace $a -Name br0 | Remove-NetNsLink -Confirm:$false
            @(Get-NetNsLink -Namespace $a -Kind bridge).Count
            """, a, b);
        Assert.Equal(["va 1400 Up", "port va br0", "198.18.63.1", 0, 0], r);
        Assert.DoesNotContain("master", TestNamespaces.Ip("-n", a, "-o", "link", "show", "va"));
    }

    [RootFact]
    public void InvokeInNetNamespaceTakesTheNamespaceFirstOrFromThePipeline()
    {
        string a = _ns.Create(), b = _ns.Create();
        // Namespace first (positional), pipeline to $input; block first, each pipeline object is a namespace.
        Assert.Equal([2, 4, 6], pwsh.Ok("param($n) 1..3 | Invoke-InNetNamespace $n { $input | ForEach-Object { $_ * 2 } }", a));
        var here = pwsh.Ok("param($x, $y) Get-NetNamespace $x, $y | Invoke-InNetNamespace { [NetNs.Core.NamespaceHandle]::OpenCurrent().Identity.Inode }", a, b);
        Assert.Equal([Inode(a), Inode(b)], here.Select(Convert.ToUInt64));
        // The block is never run as a delay-bind script block in the caller (it would run here, outside).
        var r = pwsh.Run("param($x) [pscustomobject]@{ Namespace = $x } | Invoke-InNetNamespace { (Get-ChildItem /sys/class/net).Name }", a);
        Assert.Equal(["lo"], r.Objects);
    }

    private static ulong Inode(string ns)
    {
        using var h = NamespaceHandle.OpenName(ns);
        return h.Identity.Inode;
    }

    [RootFact]
    public void CmdletsThatWorkInsideANamespaceTakeItFirst()
    {
        string ns = _ns.Create();
        TestNamespaces.Ip("-n", ns, "link", "add", "br0", "type", "bridge");
        TestNamespaces.Ip("-n", ns, "link", "add", "p1", "type", "veth", "peer", "name", "p2");
        var r = pwsh.Ok("""
            param($n)
            (Get-NetNsLink $n lo).Namespace
            Set-NetNsSysctl $n net.ipv4.ip_forward 1
            (Get-NetNsSysctl $n net.ipv4.ip_forward).Value
            Add-BridgePort $n br0 p1
            (Get-BridgePort $n br0).Name
            Set-NetNsLink $n p1 -Up
            (Get-NetNsLink $n p1).State.ToString()
            Remove-NetNsLink $n p1 -Confirm:$false
            @(Get-NetNsLink $n -Kind veth).Count
            """, ns);
        Assert.Equal([ns, "1", "p1", "Up", 0], r);
    }

    [RootFact]
    public void WhatIfChangesNothing()
    {
        string ns = _ns.Create(), fresh = _ns.Track(TestNamespaces.NewName());
        pwsh.Ok("""
            param($ns, $fresh)
            New-NetNamespace $fresh -WhatIf
            New-NetNsLink -Namespace $ns -Name br0 -Kind Bridge -WhatIf
            Set-NetNsLink -Namespace $ns -Name lo -Up -WhatIf
            Set-NetNsSysctl -Namespace $ns -Key net.ipv4.ip_forward -Value 1 -WhatIf
            Remove-NetNamespace $ns -WhatIf
            """, ns, fresh);
        Assert.False(TestNamespaces.Exists(fresh));
        Assert.True(TestNamespaces.Exists(ns));
        string links = TestNamespaces.Ip("-n", ns, "-o", "link", "show");
        Assert.DoesNotContain("br0", links);
        Assert.DoesNotContain("UP", TestNamespaces.Ip("-n", ns, "-o", "link", "show", "lo").Split('<', '>')[1].Split(','));
        Assert.Equal("0", pwsh.Ok("param($ns) (Get-NetNsSysctl -Namespace $ns -Key net.ipv4.ip_forward).Value", ns).Single());
    }

    // {link} is a fresh name and {fwd} the root namespace's own ip_forward: even a regression that reached the
    // kernel could only make a link this test then removes, and write back the value already there.
    [Theory]
    [InlineData("New-NetNsLink -Name {link} -Kind Bridge -Namespace $null", "NewNetNsLinkCommand")]
    [InlineData("New-NetNsLink -Name {link} -Kind Bridge -Namespace ''", "NewNetNsLinkCommand")]
    [InlineData("New-VethPair -Name {link} -PeerName {link}p -PeerNamespace ''", "NewVethPairCommand")]
    [InlineData("Set-NetNsLink -Name {link} -Up -Namespace $null", "SetNetNsLinkCommand")]
    [InlineData("Remove-NetNsLink -Name {link} -Namespace '' -Confirm:$false", "RemoveNetNsLinkCommand")]
    [InlineData("Set-NetNsSysctl -Key net.ipv4.ip_forward -Value {fwd} -Namespace ''", "SetNetNsSysctlCommand")]
    [InlineData("Set-NetNsSysctl -Key net.ipv4.ip_forward -Value {fwd} -Namespace $null", "SetNetNsSysctlCommand")]
    public void AnEmptyNamespaceIsRefusedBeforeAnythingHappens(string command, string cmdletClass)
    {
        string link = TestNamespaces.NewName();
        string fwd = File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim();
        try
        {
            var e = pwsh.Run(command.Replace("{link}", link).Replace("{fwd}", fwd)).SingleError();
            Assert.Equal($"InvalidArgument,NetNs.Cmdlets.{cmdletClass}", e.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.Matches("is empty \\(or \\$null\\)|only when it is named", e.Exception.Message);
        }
        finally
        {
            foreach (string made in new[] { link, link + "p" }.Where(l => Directory.Exists("/sys/class/net/" + l)))
            {
                TestNamespaces.Ip("link", "delete", made);
                Assert.Fail($"{command} made the link {made} in the caller's namespace");
            }
        }
    }

    [RootFact]
    public void APipedObjectOfTheCallersOwnNamespaceStillBindsToOptionalNamespaces()
    {
        // A NetNsLink of the caller's namespace has Namespace = $null; piping it must mean "the caller's own", not an error.
        var r = pwsh.Ok("Get-NetNsLink -Name lo | Get-NetNsAddress -AddressFamily IPv4 | ForEach-Object IPAddress");
        Assert.Contains("127.0.0.1", r);
    }
}
