BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Remove-NetNsAddress' {
    BeforeEach {
        $script:ns = New-TestNamespace
        & ip -n $script:ns link add va type veth peer name vb
        & ip -n $script:ns addr add 198.18.0.1/24 dev va
        & ip -n $script:ns addr add 198.18.2.2/24 dev va   # another subnet: a secondary would vanish with its primary
        & ip -n $script:ns addr add 198.18.1.1/24 dev vb
    }
    AfterEach { Remove-TestNamespace -Name $script:ns }

    It 'removes an address given without link or prefix length' {
        Remove-NetNsAddress -Namespace $script:ns -IPAddress 198.18.1.1 | Should -BeNullOrEmpty
        Get-IpAddress -Namespace $script:ns | Should -Not -Contain '198.18.1.1/24'
        Get-IpAddress -Namespace $script:ns | Should -Contain '198.18.0.1/24'
    }

    It 'removes addr/len from the named link' {
        Remove-NetNsAddress -Namespace $script:ns -IPAddress 198.18.2.2/24 -InterfaceAlias va
        Get-IpAddress -Namespace $script:ns -InterfaceName va | Should -Not -Contain '198.18.2.2/24'
    }

    It 'leaves the address when the prefix length does not match (AddressNotFound)' {
        Remove-NetNsAddress -Namespace $script:ns -IPAddress 198.18.0.1/16 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'AddressNotFound,NetNs.Cmdlets.RemoveNetNsAddressCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].TargetObject | Should -Be '198.18.0.1/16'
        Get-IpAddress -Namespace $script:ns | Should -Contain '198.18.0.1/24'
    }

    It 'writes one error for a missing address and removes the others' {
        Remove-NetNsAddress -Namespace $script:ns -IPAddress 198.18.9.9, 198.18.0.1 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].TargetObject | Should -Be '198.18.9.9'
        Get-IpAddress -Namespace $script:ns | Should -Not -Contain '198.18.0.1/24'
    }

    It 'removes what Get-NetNsAddress returns, without prompting' {
        $ConfirmPreference = 'High'
        Get-NetNsAddress -Namespace $script:ns -IPAddress '198.18.*' | Remove-NetNsAddress -ErrorAction Stop
        Get-IpAddress -Namespace $script:ns | Where-Object { $_ -like '198.18.*' } | Should -BeNullOrEmpty
    }

    It 'rejects a malformed address with InvalidArgument' {
        { Remove-NetNsAddress -Namespace $script:ns -IPAddress 198.18.0.1/33 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.RemoveNetNsAddressCommand'
        Get-IpAddress -Namespace $script:ns | Should -Contain '198.18.0.1/24'
    }

    It 'removes nothing with -WhatIf' {
        Remove-NetNsAddress -Namespace $script:ns -IPAddress 198.18.0.1 -WhatIf
        Get-IpAddress -Namespace $script:ns | Should -Contain '198.18.0.1/24'
    }
}
