BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'New-NetNsRoute' {
    BeforeEach {
        $script:ns = New-TestNamespace
        & ip -n $script:ns link add va type veth peer name vb
        & ip -n $script:ns link set va up
        & ip -n $script:ns link set vb up
        & ip -n $script:ns addr add 198.18.0.1/24 dev va
        & ip -n $script:ns addr add 2001:db8:1::1/64 dev va nodad
    }
    AfterEach { Remove-TestNamespace -Name $script:ns }

    It 'adds a route via a gateway and returns it' {
        $r = New-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.0.0/24 -NextHop 198.18.0.2
        $r.DestinationPrefix | Should -Be '198.19.0.0/24'
        $r.NextHop | Should -Be '198.18.0.2'
        $r.InterfaceAlias | Should -Be 'va'
        $r.Namespace | Should -Be $script:ns
        "$r" | Should -Be '198.19.0.0/24 via 198.18.0.2 dev va'
        $ip = Get-IpRoute -Namespace $script:ns | Where-Object dst -EQ '198.19.0.0/24'
        $ip.gateway | Should -Be '198.18.0.2'
        $ip.dev | Should -Be 'va'
    }

    It 'adds a route straight out of a link, with a metric' {
        New-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.1.0/24 -InterfaceAlias vb -RouteMetric 50 | Out-Null
        $ip = Get-IpRoute -Namespace $script:ns | Where-Object dst -EQ '198.19.1.0/24'
        $ip.dev | Should -Be 'vb'
        $ip.metric | Should -Be 50
        $ip.PSObject.Properties['gateway'] | Should -BeNullOrEmpty
    }

    It 'adds an IPv6 default route for "default" with an IPv6 -NextHop' {
        New-NetNsRoute -Namespace $script:ns -DestinationPrefix default -NextHop 2001:db8:1::fe | Out-Null
        $ip = Get-IpRoute -Namespace $script:ns -IPv6 | Where-Object dst -EQ 'default'
        $ip.gateway | Should -Be '2001:db8:1::fe'
        Get-IpRoute -Namespace $script:ns | Where-Object dst -EQ 'default' | Should -BeNullOrEmpty
    }

    It 'writes RouteExists for a duplicate, and -Replace replaces it' {
        New-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.0.0/24 -NextHop 198.18.0.2 | Out-Null
        New-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.0.0/24 -NextHop 198.18.0.3 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'RouteExists,NetNs.Cmdlets.NewNetNsRouteCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $ev[0].TargetObject | Should -Be '198.19.0.0/24'
        (Get-IpRoute -Namespace $script:ns | Where-Object dst -EQ '198.19.0.0/24').gateway | Should -Be '198.18.0.2'
        New-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.0.0/24 -NextHop 198.18.0.3 -Replace -ErrorAction Stop | Out-Null
        @(Get-IpRoute -Namespace $script:ns | Where-Object dst -EQ '198.19.0.0/24').gateway | Should -Be '198.18.0.3'
    }

    It 'rejects <Bad> with InvalidArgument and adds nothing' -ForEach @(
        @{ Bad = '198.19.0.0/33'; Hop = '198.18.0.2' }, @{ Bad = '198.19.0.0/24'; Hop = '198.18.0.2/24' }, @{ Bad = 'nowhere'; Hop = '198.18.0.2' }
        # ip refuses a prefix with host bits; inet_aton would read these next hops as 198.18.1.2, 0.0.0.3 and 127.0.0.1
        @{ Bad = '198.19.0.1/24'; Hop = '198.18.0.2' }, @{ Bad = '198.19.0.0/24'; Hop = '198.18.258' }
        @{ Bad = '198.19.0.0/24'; Hop = '3' }, @{ Bad = '198.19.0.0/24'; Hop = '0x7f.1' }
    ) {
        { New-NetNsRoute -Namespace $script:ns -DestinationPrefix $Bad -NextHop $Hop -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.NewNetNsRouteCommand'
        Get-IpRoute -Namespace $script:ns | Where-Object dst -Like '198.19.*' | Should -BeNullOrEmpty
    }

    It 'names the network when the prefix has host bits set' {
        { New-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.70.1/24 -NextHop 198.18.0.2 -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*198.19.70.0/24*'
    }

    It 'reports an unreachable gateway with the kernel''s words' {
        New-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.2.0/24 -NextHop 198.19.200.1 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].FullyQualifiedErrorId | Should -Be 'NetworkUnreachable,NetNs.Cmdlets.NewNetNsRouteCommand'
        $ev[0].Exception.Message | Should -Match 'unreachable'
    }

    It 'adds nothing with -WhatIf' {
        New-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.0.0/24 -NextHop 198.18.0.2 -WhatIf | Should -BeNullOrEmpty
        Get-IpRoute -Namespace $script:ns | Where-Object dst -EQ '198.19.0.0/24' | Should -BeNullOrEmpty
    }
}
