BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'New-VethPair' {
    BeforeEach { $script:a, $script:b = New-TestNamespace -Count 2 }
    AfterEach { Remove-TestNamespace -Name $script:a, $script:b }

    It 'reports the MAC addresses of both ends, also when none was given, as the kernel has them' {
        $v = New-VethPair -Name va -PeerName vb -Namespace $script:a -PeerNamespace $script:b
        $v.MacAddress | Should -Be (Get-IpLink -Namespace $script:a -Name va).address
        $v.PeerMacAddress | Should -Match '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$'
        $v.PeerMacAddress | Should -Be (Get-IpLink -Namespace $script:b -Name vb).address
    }

    It 'creates both ends in their namespaces, up, and returns the pair' {
        $pair = New-VethPair -Name va -PeerName vb -Namespace $script:a -PeerNamespace $script:b -Up
        $pair.Name | Should -Be 'va'
        $pair.Namespace | Should -Be $script:a
        $pair.PeerName | Should -Be 'vb'
        $pair.PeerNamespace | Should -Be $script:b
        $pair.State | Should -Be 'Up'
        "$pair" | Should -Be 'va'
        $va = Get-IpLink -Namespace $script:a -Name va
        $vb = Get-IpLink -Namespace $script:b -Name vb
        $va.linkinfo.info_kind | Should -Be 'veth'
        $va.flags | Should -Contain 'UP'
        $vb.flags | Should -Contain 'UP'
        $vb.ifindex | Should -Be $pair.PeerIfIndex
        $va.ifindex | Should -Be $pair.InterfaceIndex
    }

    It 'puts the peer in the first end''s namespace when -PeerNamespace is omitted, down by default' {
        $pair = New-VethPair -Name va -PeerName vb -Namespace $script:a
        $pair.State | Should -Be 'Down'
        Get-IpLink -Namespace $script:a -Name vb | Should -Not -BeNullOrEmpty
        (Get-IpLink -Namespace $script:a -Name va).flags | Should -Not -Contain 'UP'
        Get-IpLink -Namespace $script:b -Name vb | Should -BeNullOrEmpty
    }

    It 'sets -Mtu on both ends and -MacAddress / -PeerMacAddress' {
        New-VethPair -Name va -PeerName vb -Namespace $script:a -PeerNamespace $script:b -Mtu 1400 `
            -MacAddress 02:00:5e:10:00:01 -PeerMacAddress 02:00:5e:10:00:02 | Out-Null
        $va = Get-IpLink -Namespace $script:a -Name va
        $vb = Get-IpLink -Namespace $script:b -Name vb
        $va.mtu | Should -Be 1400
        $vb.mtu | Should -Be 1400
        $va.address | Should -Be '02:00:5e:10:00:01'
        $vb.address | Should -Be '02:00:5e:10:00:02'
    }

    It 'names the peer and its namespace when the peer''s name is the one taken, and makes nothing' {
        & ip -n $script:b link add vtaken type bridge
        $err = $null
        New-VethPair -Name vfree -PeerName vtaken -Namespace $script:a -PeerNamespace $script:b -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'LinkExists,NetNs.Cmdlets.NewVethPairCommand'
        "$($err[0])" | Should -Match "'vtaken'.*'$($script:b)'"
        $err[0].TargetObject | Should -Be 'vtaken'
        (& ip -n $script:a -j link show | ConvertFrom-Json).ifname | Should -Be 'lo'
    }

    It 'rejects a 16-character name with InvalidArgument and creates nothing' {
        { New-VethPair -Name 'abcdefghijklmnop' -PeerName vb -Namespace $script:a -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.NewVethPairCommand'
        New-VethPair -Name va -PeerName 'abcdefghijklmnop' -Namespace $script:a -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        # The error's target is the offending name: here the peer's.
        $ev[0].TargetObject | Should -Be 'abcdefghijklmnop'
        $ev[0].Exception.Message | Should -BeLike "*'abcdefghijklmnop'*15*"
        @(Get-IpLink -Namespace $script:a).ifname | Should -Be @('lo')
    }

    It 'writes LinkExists when the name is taken, and leaves the existing link alone' {
        & ip -n $script:a link add va type veth peer name vx
        New-VethPair -Name va -PeerName vb -Namespace $script:a -PeerNamespace $script:b -ErrorVariable ev -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'LinkExists,NetNs.Cmdlets.NewVethPairCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $ev[0].TargetObject | Should -Be 'va'
        $ev[0].Exception.Message | Should -BeLike "*'va' already exists*"
        (Get-IpLink -Namespace $script:a -Name va).link | Should -Be 'vx'
        Get-IpLink -Namespace $script:b -Name vb | Should -BeNullOrEmpty
    }

    It 'writes NamespaceNotFound for a missing -PeerNamespace and creates nothing' {
        $missing = New-TestName
        { New-VethPair -Name va -PeerName vb -Namespace $script:a -PeerNamespace $missing -ErrorAction Stop } |
            Should -Throw -ErrorId 'NamespaceNotFound*'
        Get-IpLink -Namespace $script:a -Name va | Should -BeNullOrEmpty
    }

    It 'creates nothing with -WhatIf' {
        New-VethPair -Name va -PeerName vb -Namespace $script:a -PeerNamespace $script:b -Up -WhatIf | Should -BeNullOrEmpty
        Get-IpLink -Namespace $script:a -Name va | Should -BeNullOrEmpty
        Get-IpLink -Namespace $script:b -Name vb | Should -BeNullOrEmpty
    }

    It 'accepts a NetNamespace object for -Namespace and -PeerNamespace' {
        $nsA = Get-NetNamespace $script:a; $nsB = Get-NetNamespace $script:b
        New-VethPair -Name va -PeerName vb -Namespace $nsA -PeerNamespace $nsB | Out-Null
        Get-IpLink -Namespace $script:b -Name vb | Should -Not -BeNullOrEmpty
    }

    It 'returns an object that converts to small JSON and shows a table' {
        $pair = New-VethPair -Name va -PeerName vb -Namespace $script:a -PeerNamespace $script:b
        ($pair | ConvertTo-Json).Length | Should -BeLessThan 4096
        $text = $pair | Format-Table | Out-String
        foreach ($h in 'Name', 'Namespace', 'PeerName', 'PeerNamespace', 'State') { $text | Should -Match "\b$h\b" }
        Get-FormatData -TypeName NetNs.Core.VethPair | Should -Not -BeNullOrEmpty
    }
}
