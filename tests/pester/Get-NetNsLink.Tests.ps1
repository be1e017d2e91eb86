BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Get-NetNsLink' {
    BeforeAll {
        $script:a, $script:b = New-TestNamespace -Count 2
        & ip -n $script:a link add va type veth peer name vb netns $script:b
        & ip -n $script:a link add br0 type bridge
        & ip -n $script:a link add p1 type veth peer name p2
        & ip -n $script:a link set p1 master br0
        & ip -n $script:a link set va up
    }
    AfterAll { Remove-TestNamespace -Name $script:a, $script:b }

    It 'lists every link ip link shows' {
        $links = Get-NetNsLink -Namespace $script:a
        ($links.Name | Sort-Object) | Should -Be (@(Get-IpLink -Namespace $script:a).ifname | Sort-Object)
        $links | ForEach-Object { $_.Namespace | Should -Be $script:a }
    }

    It 'resolves a veth''s peer name and peer namespace' {
        $va = Get-NetNsLink -Namespace $script:a -Name va
        $va.Kind | Should -Be 'veth'
        $va.PeerName | Should -Be 'vb'
        $va.PeerNamespace | Should -Be $script:b
        $va.PeerIfIndex | Should -Be (Get-IpLink -Namespace $script:b -Name vb).ifindex
        (Get-NetNsLink -Namespace $script:b -Name vb).PeerNamespace | Should -Be $script:a
    }

    It 'reports State (admin) and OperationalState (kernel) separately' {
        $lo = Get-NetNsLink -Namespace $script:b -Name lo
        $lo.State | Should -Be 'Down'
        $lo.State | Should -BeOfType [NetNs.Core.LinkState]
        & ip -n $script:b link set lo up
        $lo = Get-NetNsLink -Namespace $script:b -Name lo
        $lo.State | Should -Be 'Up'
        $lo.OperationalState | Should -Be 'UNKNOWN'
        # va is up but its peer is down: no carrier.
        $va = Get-NetNsLink -Namespace $script:a -Name va
        $va.State | Should -Be 'Up'
        $va.OperationalState | Should -Not -Be 'UP'
    }

    It 'shows a bridge port''s master' {
        $p1 = Get-NetNsLink -Namespace $script:a -Name p1
        $p1.Master | Should -Be 'br0'
        $p1.MasterIndex | Should -Be (Get-IpLink -Namespace $script:a -Name br0).ifindex
    }

    It 'filters by -Name wildcard and -Kind' {
        (Get-NetNsLink -Namespace $script:a -Name 'p*').Name | Sort-Object | Should -Be @('p1', 'p2')
        (Get-NetNsLink -Namespace $script:a -Kind bridge).Name | Should -Be 'br0'
        (Get-NetNsLink -Namespace $script:a -Kind loopback).Name | Should -Be 'lo'
    }

    It 'writes LinkNotFound for a missing name and returns the others' {
        $out = Get-NetNsLink -Namespace $script:a -Name nope, va -ErrorVariable ev -ErrorAction SilentlyContinue
        $out.Name | Should -Be 'va'
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'LinkNotFound,NetNs.Cmdlets.GetNetNsLinkCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].TargetObject | Should -Be 'nope'
        $ev[0].Exception.Message | Should -BeLike "*'nope' not found*$($script:a)*"
    }

    It 'writes NamespaceNotFound for a missing namespace' {
        $missing = New-TestName
        { Get-NetNsLink -Namespace $missing -ErrorAction Stop } | Should -Throw -ErrorId 'NamespaceNotFound,NetNs.Cmdlets.GetNetNsLinkCommand'
    }

    It 'takes the namespace from Get-NetNamespace, strings and PIDs in the pipeline' {
        (Get-NetNamespace $script:b | Get-NetNsLink).Name | Sort-Object | Should -Be @('lo', 'vb')
        ($script:a, $script:b | Get-NetNsLink).Namespace | Select-Object -Unique | Should -Be @($script:a, $script:b)
    }

    It 'gives the name as ToString, and small JSON' {
        $va = Get-NetNsLink -Namespace $script:a -Name va
        "$va" | Should -Be 'va'
        $json = Get-NetNsLink -Namespace $script:a | ConvertTo-Json
        $json.Length | Should -BeLessThan 4096
        @($json | ConvertFrom-Json).Count | Should -Be @(Get-IpLink -Namespace $script:a).Count
    }

    It 'shows a table with the view''s column headers' {
        $text = Get-NetNsLink -Namespace $script:a | Format-Table | Out-String
        foreach ($h in 'Name', 'Namespace', 'Kind', 'State') { $text | Should -Match "\b$h\b" }
        $text | Should -Match '\bva\b'
        Get-FormatData -TypeName NetNs.Core.NetNsLink | Should -Not -BeNullOrEmpty
    }

    It 'completes -Name with the links of the -Namespace on the command line' {
        Get-TabCompletion "Get-NetNsLink -Namespace $($script:a) -Name p" | Should -Be @('p1', 'p2')
        Get-TabCompletion "Get-NetNsLink -Namespace $($script:b) -Name " | Should -Be @('lo', 'vb')
    }
}
