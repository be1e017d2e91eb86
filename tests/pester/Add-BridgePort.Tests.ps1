BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Add-BridgePort' {
    BeforeEach {
        $script:br, $script:peer = New-TestNamespace -Count 2
        & ip -n $script:br link add br0 type bridge
        & ip -n $script:br link add br1 type bridge
        & ip -n $script:br link add p1 type veth peer name p2
    }
    AfterEach { Remove-TestNamespace -Name $script:br, $script:peer }

    It 'enslaves a link to the bridge; -PassThru returns the port' {
        $port = Add-BridgePort -Namespace $script:br -Bridge br0 -Name p1 -PassThru
        $port.Bridge | Should -Be 'br0'
        $port.Name | Should -Be 'p1'
        $port.Namespace | Should -Be $script:br
        "$port" | Should -Be 'p1'
        (Get-IpLink -Namespace $script:br -Name p1).master | Should -Be 'br0'
    }

    It 'writes nothing without -PassThru' {
        Add-BridgePort -Namespace $script:br -Bridge br0 -Name p1, p2 | Should -BeNullOrEmpty
        (Get-IpLink -Namespace $script:br -Name p2).master | Should -Be 'br0'
    }

    It 'takes the new veth from New-VethPair in the pipeline' {
        New-VethPair -Name vh1 -PeerName eth0 -Namespace $script:br -PeerNamespace $script:peer -Up | Add-BridgePort -Bridge br0
        (Get-IpLink -Namespace $script:br -Name vh1).master | Should -Be 'br0'
        Get-IpLink -Namespace $script:peer -Name eth0 | Should -Not -BeNullOrEmpty
    }

    It 'writes LinkNotFound for a missing bridge and a missing port, one per item' {
        Add-BridgePort -Namespace $script:br -Bridge nobr -Name p1 -ErrorVariable ev1 -ErrorAction SilentlyContinue
        $ev1[0].FullyQualifiedErrorId | Should -Be 'LinkNotFound,NetNs.Cmdlets.AddBridgePortCommand'
        $ev1[0].Exception.Message | Should -BeLike "*'nobr'*"
        Add-BridgePort -Namespace $script:br -Bridge br0 -Name nope, p1 -ErrorVariable ev2 -ErrorAction SilentlyContinue
        $ev2.Count | Should -Be 1
        $ev2[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev2[0].TargetObject | Should -Be 'nope'
        (Get-IpLink -Namespace $script:br -Name p1).master | Should -Be 'br0'
    }

    It 'refuses a -Bridge that is not a bridge' {
        { Add-BridgePort -Namespace $script:br -Bridge p2 -Name p1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.AddBridgePortCommand' -ExpectedMessage '*not a bridge*'
        (Get-IpLink -Namespace $script:br -Name p1).PSObject.Properties['master'] | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        Add-BridgePort -Namespace $script:br -Bridge br0 -Name p1 -WhatIf
        (Get-IpLink -Namespace $script:br -Name p1).PSObject.Properties['master'] | Should -BeNullOrEmpty
    }

    It 'completes -Bridge with bridges only' {
        Get-TabCompletion "Add-BridgePort -Namespace $($script:br) -Bridge " | Should -Be @('br0', 'br1')
        Get-TabCompletion "Add-BridgePort -Namespace $($script:br) -Bridge br0 -Name p" | Should -Be @('p1', 'p2')
    }
}
