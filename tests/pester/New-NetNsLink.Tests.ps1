BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'New-NetNsLink' {
    BeforeAll {
        # Whether this kernel has the dummy driver (some minimal kernels do not).
        $probe = New-TestNamespace
        & ip -n $probe link add d0 type dummy 2>$null
        $script:hasDummy = $LASTEXITCODE -eq 0
        Remove-TestNamespace -Name $probe
    }
    BeforeEach { $script:ns = New-TestNamespace }
    AfterEach { Remove-TestNamespace -Name $script:ns }

    It 'creates a bridge, up, in the namespace' {
        $link = New-NetNsLink -Name br0 -Kind Bridge -Namespace $script:ns -Up
        $link.Name | Should -Be 'br0'
        $link.Kind | Should -Be 'bridge'
        $link.State | Should -Be 'Up'
        $link.Namespace | Should -Be $script:ns
        $ip = Get-IpLink -Namespace $script:ns -Name br0
        $ip.linkinfo.info_kind | Should -Be 'bridge'
        $ip.flags | Should -Contain 'UP'
    }

    It 'refuses an empty or $null -Namespace instead of creating the link in the caller''s namespace' {
        $name = New-TestName
        foreach ($empty in '', $null) {
            { New-NetNsLink -Name $name -Kind Bridge -Namespace $empty -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.NewNetNsLinkCommand'
        }
        @(& ip -o link show) -match ": $name[:@]" | Should -BeNullOrEmpty
        $LASTEXITCODE | Should -Be 0
    }

    It 'creates a bridge down by default, with -Mtu and -MacAddress' {
        New-NetNsLink -Name br0 -Kind Bridge -Namespace $script:ns -Mtu 1300 -MacAddress 02:00:5e:10:00:0a | Out-Null
        $ip = Get-IpLink -Namespace $script:ns -Name br0
        $ip.flags | Should -Not -Contain 'UP'
        $ip.mtu | Should -Be 1300
        $ip.address | Should -Be '02:00:5e:10:00:0a'
    }

    It 'creates a macvlan on a -Parent' {
        & ip -n $script:ns link add p0 type veth peer name p1
        $link = New-NetNsLink -Name mv0 -Kind Macvlan -Parent p0 -Namespace $script:ns
        $link.Parent | Should -Be 'p0'
        $ip = Get-IpLink -Namespace $script:ns -Name mv0
        $ip.linkinfo.info_kind | Should -Be 'macvlan'
        $ip.link | Should -Be 'p0'
    }

    It 'creates a dummy, or reports NotSupported when the kernel has no dummy driver' {
        $out = New-NetNsLink -Name d0 -Kind Dummy -Namespace $script:ns -ErrorVariable ev -ErrorAction SilentlyContinue
        if ($script:hasDummy) {
            $out.Kind | Should -Be 'dummy'
            (Get-IpLink -Namespace $script:ns -Name d0).linkinfo.info_kind | Should -Be 'dummy'
        }
        else {
            $ev[0].FullyQualifiedErrorId | Should -Be 'NotSupported,NetNs.Cmdlets.NewNetNsLinkCommand'
            $ev[0].CategoryInfo.Category | Should -Be 'NotImplemented'
            $ev[0].Exception.Message | Should -Match 'kernel'
            Get-IpLink -Namespace $script:ns -Name d0 | Should -BeNullOrEmpty
        }
    }

    It 'writes one LinkExists error per duplicate name in the pipeline' {
        $out = 'br0', 'br0', 'br1' | New-NetNsLink -Kind Bridge -Namespace $script:ns -ErrorVariable ev -ErrorAction SilentlyContinue
        $out.Name | Should -Be @('br0', 'br1')
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'LinkExists,NetNs.Cmdlets.NewNetNsLinkCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $ev[0].TargetObject | Should -Be 'br0'
        Get-IpLink -Namespace $script:ns -Name br1 | Should -Not -BeNullOrEmpty
    }

    It 'rejects a 16-character name with InvalidArgument and creates nothing' {
        { New-NetNsLink -Name 'bridge0123456789' -Kind Bridge -Namespace $script:ns -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.NewNetNsLinkCommand'
        @(Get-IpLink -Namespace $script:ns).ifname | Should -Be @('lo')
    }

    It 'writes LinkNotFound for a missing -Parent' {
        { New-NetNsLink -Name mv0 -Kind Macvlan -Parent nope -Namespace $script:ns -ErrorAction Stop } |
            Should -Throw -ErrorId 'LinkNotFound*'
        Get-IpLink -Namespace $script:ns -Name mv0 | Should -BeNullOrEmpty
    }

    It 'creates nothing with -WhatIf' {
        New-NetNsLink -Name br0 -Kind Bridge -Namespace $script:ns -Up -WhatIf | Should -BeNullOrEmpty
        Get-IpLink -Namespace $script:ns -Name br0 | Should -BeNullOrEmpty
    }
}
