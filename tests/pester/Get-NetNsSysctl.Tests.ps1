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
        Get-NetNsSysctl -Namespace $script:ns -Key net.ipv4.ip_forward | Should -Be '1'
        Get-NetNsSysctl -Namespace $script:ns net.ipv4.ip_forward | Should -Be (& ip netns exec $script:ns sysctl -n net.ipv4.ip_forward)
    }

    It 'reads several keys, including per-link ones, in order' {
        $v = Get-NetNsSysctl -Namespace $script:ns -Key net.ipv4.ip_forward, net.ipv4.conf.va.forwarding, net.ipv6.conf.va.mtu
        $v | Should -Be @('1', (& ip netns exec $script:ns sysctl -n net.ipv4.conf.va.forwarding), '1500')
    }

    It 'takes the namespace from the pipeline' {
        Get-NetNamespace $script:ns | Get-NetNsSysctl -Key net.ipv4.ip_forward | Should -Be '1'
    }

    It 'writes SysctlNotFound for a key that does not exist, and reads the rest' {
        $v = Get-NetNsSysctl -Namespace $script:ns -Key net.ipv4.no_such_key, net.ipv4.ip_forward -ErrorVariable ev -ErrorAction SilentlyContinue
        $v | Should -Be '1'
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
