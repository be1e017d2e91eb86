BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Get-NetNsRoute' {
    BeforeAll {
        $script:ns = New-TestNamespace
        & ip -n $script:ns link add va type veth peer name vb
        & ip -n $script:ns link set va up
        & ip -n $script:ns link set vb up
        & ip -n $script:ns addr add 198.18.0.1/24 dev va
        & ip -n $script:ns addr add 198.18.1.1/24 dev vb
        & ip -n $script:ns route add 198.19.0.0/24 via 198.18.0.2 metric 7
        & ip -n $script:ns route add default via 198.18.1.254
    }
    AfterAll { Remove-TestNamespace -Name $script:ns }

    It 'lists the IPv4 routes of the main table that ip route shows' {
        $mine = Get-NetNsRoute -Namespace $script:ns -AddressFamily IPv4
        $ipDst = Get-IpRoute -Namespace $script:ns | ForEach-Object { if ($_.dst -eq 'default') { '0.0.0.0/0' } else { $_.dst } }
        ($mine.DestinationPrefix | Sort-Object) | Should -Be ($ipDst | Sort-Object)
    }

    It 'describes a route NetTCPIP-style' {
        $r = Get-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.0.0/24
        $r.NextHop | Should -Be '198.18.0.2'
        $r.InterfaceAlias | Should -Be 'va'
        $r.RouteMetric | Should -Be 7
        $r.AddressFamily | Should -Be 'IPv4'
        $r.Table | Should -Be 254
        $r.Namespace | Should -Be $script:ns
        "$r" | Should -Be '198.19.0.0/24 via 198.18.0.2 dev va'
    }

    It 'shows the connected route of an address with NextHop 0.0.0.0 and protocol kernel' {
        $r = Get-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.18.0.0/24
        $r.NextHop | Should -Be '0.0.0.0'
        $r.Protocol | Should -Be 'kernel'
        $r.Scope | Should -Be 'link'
    }

    It 'filters with "default", wildcards, -InterfaceAlias and -AddressFamily' {
        (Get-NetNsRoute -Namespace $script:ns -DestinationPrefix default).NextHop | Should -Be '198.18.1.254'
        (Get-NetNsRoute -Namespace $script:ns -DestinationPrefix '198.19.*').DestinationPrefix | Should -Be '198.19.0.0/24'
        (Get-NetNsRoute -Namespace $script:ns -InterfaceAlias vb -AddressFamily IPv4).DestinationPrefix | Sort-Object |
            Should -Be @('0.0.0.0/0', '198.18.1.0/24')
        Get-NetNsRoute -Namespace $script:ns -AddressFamily IPv6 | ForEach-Object { $_.AddressFamily | Should -Be 'IPv6' }
    }

    It 'takes the namespace from the pipeline' {
        (Get-NetNamespace $script:ns | Get-NetNsRoute -DestinationPrefix default).InterfaceAlias | Should -Be 'vb'
    }

    It 'writes NamespaceNotFound for a missing namespace' {
        { Get-NetNsRoute -Namespace (New-TestName) -ErrorAction Stop } | Should -Throw -ErrorId 'NamespaceNotFound,NetNs.Cmdlets.GetNetNsRouteCommand'
    }

    It 'shows a table with the view''s column headers, and small JSON' {
        $text = Get-NetNsRoute -Namespace $script:ns | Format-Table | Out-String
        foreach ($h in 'DestinationPrefix', 'NextHop', 'InterfaceAlias', 'Metric') { $text | Should -Match "\b$h\b" }
        Get-FormatData -TypeName NetNs.Core.NetNsRoute | Should -Not -BeNullOrEmpty
        (Get-NetNsRoute -Namespace $script:ns -DestinationPrefix default | ConvertTo-Json).Length | Should -BeLessThan 4096
    }
}
