BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Remove-NetNsLink' {
    BeforeEach {
        $script:a, $script:b = New-TestNamespace -Count 2
        & ip -n $script:a link add br0 type bridge
        & ip -n $script:a link add br1 type bridge
        & ip -n $script:a link add va type veth peer name vb netns $script:b
    }
    AfterEach { Remove-TestNamespace -Name $script:a, $script:b }

    It 'deletes a link' {
        Remove-NetNsLink -Namespace $script:a -Name br0 | Should -BeNullOrEmpty
        Get-IpLink -Namespace $script:a -Name br0 | Should -BeNullOrEmpty
        Get-IpLink -Namespace $script:a -Name br1 | Should -Not -BeNullOrEmpty
    }

    It 'deletes both ends of a veth, across namespaces' {
        Remove-NetNsLink -Namespace $script:a -Name va
        Get-IpLink -Namespace $script:a -Name va | Should -BeNullOrEmpty
        Get-IpLink -Namespace $script:b -Name vb | Should -BeNullOrEmpty
    }

    It 'deletes what Get-NetNsLink returns, without prompting' {
        $ConfirmPreference = 'High'
        Get-NetNsLink -Namespace $script:a -Kind bridge | Remove-NetNsLink -ErrorAction Stop
        (Get-IpLink -Namespace $script:a).ifname | Should -Not -Contain 'br0'
        (Get-IpLink -Namespace $script:a).ifname | Should -Not -Contain 'br1'
        (Get-IpLink -Namespace $script:a).ifname | Should -Contain 'va'
    }

    It 'writes one LinkNotFound error for a missing link and deletes the rest' {
        Remove-NetNsLink -Namespace $script:a -Name nope, br0 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'LinkNotFound,NetNs.Cmdlets.RemoveNetNsLinkCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].TargetObject | Should -Be 'nope'
        Get-IpLink -Namespace $script:a -Name br0 | Should -BeNullOrEmpty
    }

    It 'throws with -ErrorAction Stop' {
        { Remove-NetNsLink -Namespace $script:a -Name nope -ErrorAction Stop } | Should -Throw -ErrorId 'LinkNotFound*'
    }

    It 'deletes nothing with -WhatIf' {
        Remove-NetNsLink -Namespace $script:a -Name br0, va -WhatIf
        Get-IpLink -Namespace $script:a -Name br0 | Should -Not -BeNullOrEmpty
        Get-IpLink -Namespace $script:a -Name va | Should -Not -BeNullOrEmpty
    }
}
