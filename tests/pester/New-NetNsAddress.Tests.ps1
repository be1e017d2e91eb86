BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

# The NetTCPIP user's first guess: New-NetIPAddress -InterfaceAlias -IPAddress -PrefixLength -DefaultGateway.
Describe 'New-NetNsAddress' {
    BeforeEach {
        $script:ns = New-TestNamespace
        & ip -n $script:ns link add va type veth peer name vb
        & ip -n $script:ns link set va up
        & ip -n $script:ns link set vb up
    }
    AfterEach { Remove-TestNamespace -Name $script:ns }

    It 'adds an address as New-NetIPAddress does, and writes it' {
        $a = New-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.3.1 -PrefixLength 24
        $a | Should -BeOfType NetNs.Core.NetNsAddress
        ($a.IPAddress, $a.PrefixLength, $a.Namespace) | Should -Be '198.18.3.1', 24, $script:ns
        Get-IpAddress -Namespace $script:ns -InterfaceName va | Should -Contain '198.18.3.1/24'
    }

    It 'adds the default route with -DefaultGateway' {
        New-NetNsAddress $script:ns 198.18.3.1/24 -InterfaceAlias va -DefaultGateway 198.18.3.254 | Out-Null
        (& ip -n $script:ns route show default) -join "`n" | Should -Match 'default via 198.18.3.254 dev va'
    }

    It 'gives AddressExists for an address already there, unlike Set-NetNsAddress' {
        Set-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.3.1/24
        { New-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.3.1/24 -ErrorAction Stop } |
            Should -Throw -ErrorId 'AddressExists,NetNs.Cmdlets.NewNetNsAddressCommand'
    }

    It 'removes what it added when the gateway cannot be added (all or nothing)' {
        { New-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.3.1/24, 198.18.4.1/24 -DefaultGateway 198.18.9.1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'NetworkUnreachable,NetNs.Cmdlets.NewNetNsAddressCommand'
        Get-IpAddress -Namespace $script:ns -InterfaceName va | Should -Not -Contain '198.18.3.1/24'
        Get-IpAddress -Namespace $script:ns -InterfaceName va | Should -Not -Contain '198.18.4.1/24'
    }

    It 'refuses a malformed address before changing anything, and changes nothing with -WhatIf' {
        { New-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.3.1/24, 198.18.258.1/24 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.NewNetNsAddressCommand'
        New-NetNsAddress -Namespace $script:ns -InterfaceAlias va -IPAddress 198.18.3.1/24 -WhatIf
        Get-IpAddress -Namespace $script:ns -InterfaceName va | Should -Not -Contain '198.18.3.1/24'
    }
}
