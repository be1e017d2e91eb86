BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Get-NetNsSysctl' {
    BeforeAll {
        $script:ns = New-TestNamespace
        & ip netns exec $script:ns sysctl -q -w net.ipv4.ip_forward=1
        & ip -n $script:ns link add va type veth peer name vb
    }
    AfterAll { Remove-TestNamespace -Name $script:ns }

    It 'reads a sysctl inside the namespace, not the caller''s' {
        $s = Get-NetNsSysctl -Namespace $script:ns -Key net.ipv4.ip_forward
        $s | Should -BeOfType ([NetNs.Core.NetNsSysctl])
        $s.Value | Should -Be '1'
        $s.Key | Should -Be 'net.ipv4.ip_forward'
        $s.Namespace | Should -Be $script:ns
        "$s" | Should -Be '1'
        (Get-NetNsSysctl -Namespace $script:ns net.ipv4.ip_forward).Value | Should -Be (& ip netns exec $script:ns sysctl -n net.ipv4.ip_forward)
    }

    It 'lists every key beneath a branch such as net.ipv4.conf.va, as sysctl net.ipv4.conf.va does' {
        $entries = Get-NetNsSysctl $script:ns net.ipv4.conf.va
        $expected = & ip netns exec $script:ns sysctl net.ipv4.conf.va 2>$null | ForEach-Object { ($_ -split ' = ')[0] }
        $entries.Key | Should -Be @($expected)
        ($entries | Where-Object Key -eq 'net.ipv4.conf.va.forwarding').Value | Should -Be '1'
        $entries.Namespace | Select-Object -Unique | Should -Be $script:ns
    }

    It 'expands wildcards in -Key, as sysctl -a --pattern does' {
        $s = Get-NetNsSysctl -Namespace $script:ns -Key 'net.ipv4.conf.*.forwarding'
        $s.Key | Should -Be 'net.ipv4.conf.all.forwarding', 'net.ipv4.conf.default.forwarding', 'net.ipv4.conf.lo.forwarding', 'net.ipv4.conf.va.forwarding', 'net.ipv4.conf.vb.forwarding'
        foreach ($x in $s) { $x.Value | Should -Be (& ip netns exec $script:ns sysctl -n $x.Key) }
        (Get-NetNsSysctl -Namespace $script:ns -Key 'net.ipv6.conf.v?.mtu').Value | Should -Be '1500', '1500'
        Get-NetNsSysctl -Namespace $script:ns -Key 'net.ipv4.conf.nomatch*.forwarding' -ErrorVariable ev | Should -BeNullOrEmpty
        $ev | Should -BeNullOrEmpty
    }

    It 'has a table view with Namespace, Key and Value' {
        $text = Get-NetNsSysctl -Namespace $script:ns -Key net.ipv4.ip_forward | Format-Table | Out-String -Width 80
        $text | Should -Match '(?m)^Namespace\s+Key\s+Value'
        $text | Should -Match "net\.ipv4\.ip_forward\s+1"
    }

    It 'reads several keys, including per-link ones, in order' {
        $v = Get-NetNsSysctl -Namespace $script:ns -Key net.ipv4.ip_forward, net.ipv4.conf.va.forwarding, net.ipv6.conf.va.mtu
        $v.Value | Should -Be @('1', (& ip netns exec $script:ns sysctl -n net.ipv4.conf.va.forwarding), '1500')
    }

    It 'takes the namespace from the pipeline' {
        (Get-NetNamespace $script:ns | Get-NetNsSysctl -Key net.ipv4.ip_forward).Value | Should -Be '1'
    }

    It 'writes SysctlNotFound for a key that does not exist, and reads the rest' {
        $v = Get-NetNsSysctl -Namespace $script:ns -Key net.ipv4.no_such_key, net.ipv4.ip_forward -ErrorVariable ev -ErrorAction SilentlyContinue
        $v.Value | Should -Be '1'
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'SysctlNotFound,NetNs.Cmdlets.GetNetNsSysctlCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].TargetObject | Should -Be 'net.ipv4.no_such_key'
    }

    It 'rejects <Key> with InvalidArgument' -ForEach @(@{ Key = 'kernel.hostname' }, @{ Key = 'net/../../kernel/hostname' }, @{ Key = 'net.ipv4..ip_forward' }) {
        { Get-NetNsSysctl -Namespace $script:ns -Key $Key -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.GetNetNsSysctlCommand'
    }

    It 'writes NamespaceNotFound for a missing namespace' {
        { Get-NetNsSysctl -Namespace (New-TestName) -Key net.ipv4.ip_forward -ErrorAction Stop } | Should -Throw -ErrorId 'NamespaceNotFound*'
    }
}
