BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Remove-NetNsRoute' {
    BeforeEach {
        $script:ns = New-TestNamespace
        & ip -n $script:ns link add va type veth peer name vb
        & ip -n $script:ns link set va up
        & ip -n $script:ns addr add 198.18.0.1/24 dev va
        & ip -n $script:ns route add 198.19.0.0/24 via 198.18.0.2
        & ip -n $script:ns route add 198.19.1.0/24 via 198.18.0.3
        & ip -n $script:ns route add default via 198.18.0.254
    }
    AfterEach { Remove-TestNamespace -Name $script:ns }

    It 'deletes a route by destination' {
        Remove-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.0.0/24 | Should -BeNullOrEmpty
        (Get-IpRoute -Namespace $script:ns).dst | Should -Not -Contain '198.19.0.0/24'
        (Get-IpRoute -Namespace $script:ns).dst | Should -Contain '198.19.1.0/24'
    }

    It 'refuses a prefix with host bits (ip does) and deletes nothing' {
        { Remove-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.0.200/24 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.RemoveNetNsRouteCommand'
        (Get-IpRoute -Namespace $script:ns).dst | Should -Contain '198.19.0.0/24'
    }

    It 'deletes the default route with "default"' {
        Remove-NetNsRoute -Namespace $script:ns -DestinationPrefix default
        (Get-IpRoute -Namespace $script:ns).dst | Should -Not -Contain 'default'
    }

    It 'leaves a route whose -NextHop does not match (RouteNotFound)' {
        Remove-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.0.0/24 -NextHop 198.18.0.9 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'RouteNotFound,NetNs.Cmdlets.RemoveNetNsRouteCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].TargetObject | Should -Be '198.19.0.0/24'
        (Get-IpRoute -Namespace $script:ns).dst | Should -Contain '198.19.0.0/24'
    }

    It 'deletes what Get-NetNsRoute returns, one error per missing route, without prompting' {
        $ConfirmPreference = 'High'
        Get-NetNsRoute -Namespace $script:ns -DestinationPrefix '198.19.*' | Remove-NetNsRoute -ErrorAction Stop
        (Get-IpRoute -Namespace $script:ns).dst | Where-Object { $_ -like '198.19.*' } | Should -BeNullOrEmpty
        '198.19.7.0/24', 'default' | ForEach-Object { [pscustomobject]@{ DestinationPrefix = $_; Namespace = $script:ns } } |
            Remove-NetNsRoute -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        (Get-IpRoute -Namespace $script:ns).dst | Should -Not -Contain 'default'
    }

    It 'rejects a malformed prefix with InvalidArgument' {
        { Remove-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.0.0/40 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.RemoveNetNsRouteCommand'
    }

    It 'deletes nothing with -WhatIf' {
        Remove-NetNsRoute -Namespace $script:ns -DestinationPrefix 198.19.0.0/24 -WhatIf
        (Get-IpRoute -Namespace $script:ns).dst | Should -Contain '198.19.0.0/24'
    }
}
