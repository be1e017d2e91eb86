BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Set-NetNsSysctl' {
    BeforeAll { $script:rootForward = Get-Content /proc/sys/net/ipv4/ip_forward }
    BeforeEach { $script:ns = New-TestNamespace }
    AfterEach { Remove-TestNamespace -Name $script:ns }
    AfterAll {
        # The root namespace must be untouched by every test in this file.
        Get-Content /proc/sys/net/ipv4/ip_forward | Should -Be $script:rootForward
    }

    It 'writes the sysctl inside the namespace only' {
        Set-NetNsSysctl -Namespace $script:ns -Key net.ipv4.ip_forward -Value 1 | Should -BeNullOrEmpty
        & ip netns exec $script:ns sysctl -n net.ipv4.ip_forward | Should -Be '1'
        Get-Content /proc/sys/net/ipv4/ip_forward | Should -Be $script:rootForward
    }

    It 'returns the value read back with -PassThru' {
        $s = Set-NetNsSysctl -Namespace $script:ns net.ipv4.ip_forward 1 -PassThru
        $s.Value | Should -Be '1'
        $s.Key | Should -Be 'net.ipv4.ip_forward'
    }

    It 'takes namespaces from the pipeline' {
        $other = New-TestNamespace
        try {
            $script:ns, $other | Set-NetNsSysctl -Key net.ipv4.ip_forward -Value 1
            foreach ($n in $script:ns, $other) { & ip netns exec $n sysctl -n net.ipv4.ip_forward | Should -Be '1' }
        }
        finally { Remove-TestNamespace -Name $other }
    }

    It 'requires -Namespace, so it never changes the caller''s namespace by default' {
        (Get-Command Set-NetNsSysctl).Parameters['Namespace'].Attributes |
            Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } |
            ForEach-Object { $_.Mandatory | Should -BeTrue }
    }

    # The value written is the root namespace's own, so even a regression could not change the machine.
    It 'refuses an empty or $null -Namespace (<Case>) instead of writing the caller''s namespace' -ForEach @(
        @{ Case = "''"; Value = '' }
        @{ Case = '$null'; Value = $null }
    ) {
        { Set-NetNsSysctl -Namespace $Value -Key net.ipv4.ip_forward -Value $script:rootForward -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.SetNetNsSysctlCommand'
    }

    It 'refuses a piped object whose Namespace is empty (the caller''s own)' {
        $err = $null
        [pscustomobject]@{ Namespace = $null } | Set-NetNsSysctl -Key net.ipv4.ip_forward -Value $script:rootForward -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,NetNs.Cmdlets.SetNetNsSysctlCommand'
        $err[0].Exception.Message | Should -Match 'only when it is named'
    }

    It 'rejects a value the kernel refuses with InvalidArgument and keeps the old value' {
        Set-NetNsSysctl -Namespace $script:ns -Key net.ipv4.ip_forward -Value banana -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $ev[0].TargetObject | Should -Be 'net.ipv4.ip_forward'
        & ip netns exec $script:ns sysctl -n net.ipv4.ip_forward | Should -Be '0'
    }

    It 'rejects a key outside net.* with InvalidArgument' {
        { Set-NetNsSysctl -Namespace $script:ns -Key kernel.hostname -Value x -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.SetNetNsSysctlCommand'
    }

    It 'writes SysctlNotFound for a missing key' {
        { Set-NetNsSysctl -Namespace $script:ns -Key net.ipv4.no_such_key -Value 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'SysctlNotFound,NetNs.Cmdlets.SetNetNsSysctlCommand'
    }

    It 'changes nothing with -WhatIf' {
        Set-NetNsSysctl -Namespace $script:ns -Key net.ipv4.ip_forward -Value 1 -WhatIf
        & ip netns exec $script:ns sysctl -n net.ipv4.ip_forward | Should -Be '0'
    }
}
