BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Remove-BridgePort' {
    BeforeEach {
        $script:ns = New-TestNamespace
        & ip -n $script:ns link add br0 type bridge
        & ip -n $script:ns link add br1 type bridge
        & ip -n $script:ns link add p1 type veth peer name p2
        & ip -n $script:ns link set p1 master br0
        & ip -n $script:ns link set p2 master br0
    }
    AfterEach { Remove-TestNamespace -Name $script:ns }

    It 'releases a port from its bridge, keeping the link' {
        Remove-BridgePort -Namespace $script:ns -Name p1 | Should -BeNullOrEmpty
        $p1 = Get-IpLink -Namespace $script:ns -Name p1
        $p1 | Should -Not -BeNullOrEmpty
        $p1.PSObject.Properties['master'] | Should -BeNullOrEmpty
        (Get-IpLink -Namespace $script:ns -Name p2).master | Should -Be 'br0'
    }

    It 'releases what Get-BridgePort returns, without prompting' {
        $ConfirmPreference = 'High'
        Get-BridgePort -Namespace $script:ns -Bridge br0 | Remove-BridgePort -ErrorAction Stop
        foreach ($n in 'p1', 'p2') { (Get-IpLink -Namespace $script:ns -Name $n).PSObject.Properties['master'] | Should -BeNullOrEmpty }
    }

    It 'leaves a port alone when -Bridge names another bridge' {
        Remove-BridgePort -Namespace $script:ns -Name p1 -Bridge br1 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].TargetObject | Should -Be 'p1'
        (Get-IpLink -Namespace $script:ns -Name p1).master | Should -Be 'br0'
    }

    It 'writes one LinkNotFound error for a link that is not a port, and releases the rest' {
        & ip -n $script:ns link set p2 nomaster
        Remove-BridgePort -Namespace $script:ns -Name p2, p1 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'LinkNotFound,NetNs.Cmdlets.RemoveBridgePortCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].TargetObject | Should -Be 'p2'
        (Get-IpLink -Namespace $script:ns -Name p1).PSObject.Properties['master'] | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        Remove-BridgePort -Namespace $script:ns -Name p1 -WhatIf
        (Get-IpLink -Namespace $script:ns -Name p1).master | Should -Be 'br0'
    }
}
