BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Set-NetNsAddress' {
    BeforeEach {
        $script:ns = New-TestNamespace
        & ip -n $script:ns link add va type veth peer name vb
        & ip -n $script:ns link set va up
        & ip -n $script:ns link set vb up
    }
    AfterEach { Remove-TestNamespace -Name $script:ns }

    It 'puts an IPv4 address on the link' {
        Set-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.0.1/24 | Should -BeNullOrEmpty
        Get-IpAddress -Namespace $script:ns -InterfaceName va | Should -Contain '198.18.0.1/24'
    }

    It 'is idempotent: setting the same address twice gives one address and no error' {
        Set-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.0.1/24 -ErrorAction Stop
        Set-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.0.1/24 -ErrorAction Stop
        @(Get-IpAddress -Namespace $script:ns -InterfaceName va | Where-Object { $_ -eq '198.18.0.1/24' }).Count | Should -Be 1
    }

    It 'takes several addresses, a plain address with -PrefixLength, and -PassThru returns them' {
        $out = Set-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.0.1, 198.18.1.1 -PrefixLength 24 -PassThru
        $out | ForEach-Object { "$_" } | Should -Be @('198.18.0.1/24', '198.18.1.1/24')
        $out[0].InterfaceAlias | Should -Be 'va'
        $out[0].Namespace | Should -Be $script:ns
        $ip = Get-IpAddress -Namespace $script:ns -InterfaceName va
        $ip | Should -Contain '198.18.0.1/24'
        $ip | Should -Contain '198.18.1.1/24'
    }

    It 'adds an IPv6 address usable at once with -SkipDuplicateAddressDetection' {
        $a = Set-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 2001:db8:1::1/64 -SkipDuplicateAddressDetection -PassThru
        $a.AddressFamily | Should -Be 'IPv6'
        $info = (Invoke-IpJson -Namespace $script:ns -Arguments 'addr', 'show', 'dev', 'va').addr_info | Where-Object local -EQ '2001:db8:1::1'
        $info.prefixlen | Should -Be 64
        $info.PSObject.Properties['tentative'] | Should -BeNullOrEmpty
    }

    It 'rejects <Bad> with InvalidArgument and adds nothing' -ForEach @(
        @{ Bad = '198.18.0.1/33' }, @{ Bad = '198.18.0.1' }, @{ Bad = '198.18.0.256/24' }, @{ Bad = 'not-an-ip/24' }
    ) {
        Set-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress $Bad -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,NetNs.Cmdlets.SetNetNsAddressCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $ev[0].TargetObject | Should -Be $Bad
        Get-IpAddress -Namespace $script:ns -InterfaceName va | Where-Object { $_ -like '198.18.*' } | Should -BeNullOrEmpty
    }

    It 'writes one error for the bad address and still sets the good one' {
        Set-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.0.1/33, 198.18.0.2/24 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        Get-IpAddress -Namespace $script:ns -InterfaceName va | Should -Contain '198.18.0.2/24'
    }

    It 'removes the addresses it added when the default gateway cannot be set, and keeps the ones that were there' {
        Set-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.0.2/24
        Set-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.0.2/24, 198.18.5.2/24 -DefaultGateway 198.19.9.9 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'NetworkUnreachable,NetNs.Cmdlets.SetNetNsAddressCommand'
        $now = Get-IpAddress -Namespace $script:ns -InterfaceName va
        $now | Should -Contain '198.18.0.2/24'
        $now | Should -Not -Contain '198.18.5.2/24'
        Get-IpRoute -Namespace $script:ns | Where-Object dst -EQ 'default' | Should -BeNullOrEmpty
    }

    It 'changes nothing when -DefaultGateway is not an address' {
        Set-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.6.2/24 -DefaultGateway 198.18.6 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,NetNs.Cmdlets.SetNetNsAddressCommand'
        $ev[0].TargetObject | Should -Be '198.18.6'
        Get-IpAddress -Namespace $script:ns -InterfaceName va | Should -Not -Contain '198.18.6.2/24'
    }

    It 'writes LinkNotFound for a missing link' {
        { Set-NetNsAddress -Namespace $script:ns -InterfaceAlias nope -IPAddress 198.18.0.1/24 -ErrorAction Stop } |
            Should -Throw -ErrorId 'LinkNotFound,NetNs.Cmdlets.SetNetNsAddressCommand'
    }

    It 'sets the default route with -DefaultGateway' {
        Set-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.0.2/24 -DefaultGateway 198.18.0.1
        $default = Get-IpRoute -Namespace $script:ns | Where-Object dst -EQ 'default'
        $default.gateway | Should -Be '198.18.0.1'
        $default.dev | Should -Be 'va'
    }

    It 'binds the link and namespace from Get-NetNsLink in the pipeline' {
        Get-NetNsLink -Namespace $script:ns -Name vb | Set-NetNsAddress -IPAddress 198.18.2.1/24
        Get-IpAddress -Namespace $script:ns -InterfaceName vb | Should -Contain '198.18.2.1/24'
    }

    It 'changes nothing with -WhatIf' {
        Set-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.0.2/24 -DefaultGateway 198.18.0.1 -WhatIf
        Get-IpAddress -Namespace $script:ns -InterfaceName va | Should -Not -Contain '198.18.0.2/24'
        Get-IpRoute -Namespace $script:ns | Where-Object dst -EQ 'default' | Should -BeNullOrEmpty
    }
}
