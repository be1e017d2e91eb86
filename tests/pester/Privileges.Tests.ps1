BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/Pwsh.psm1') -Force
    Import-NetNsUnderTest
}

# Runs a child pwsh as root but with CAP_SYS_ADMIN and CAP_NET_ADMIN dropped from its bounding, inheritable
# and ambient sets (setpriv, util-linux), so the cmdlets meet a caller without the privileges they need.
Describe 'Without CAP_SYS_ADMIN and CAP_NET_ADMIN' {
    BeforeAll {
        if (-not (Get-Command setpriv -CommandType Application -ErrorAction SilentlyContinue)) { throw 'setpriv (util-linux) is not installed' }
        $script:module = (Get-Module NetNs).Path -replace '\.dll$', '.psd1'
        function Invoke-Unprivileged([string]$Script) {
            $code = "`$ErrorActionPreference = 'Stop'; Import-Module '$($script:module)'; $Script"
            Invoke-Pwsh -Prefix setpriv, '--bounding-set=-sys_admin,-net_admin', '--inh-caps=-sys_admin,-net_admin', '--' `
                -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $code 2>&1
        }
        $script:a = New-TestNamespace
    }
    AfterAll { Remove-TestNamespace -Name $script:a }

    It 'really lacks them (the premise of these tests)' {
        $out = Invoke-Unprivileged "(Get-Content /proc/self/status) -match '^CapEff:'"
        $eff = [Convert]::ToUInt64(($out -split '\s+')[-1], 16)
        $eff -band (1 -shl 21) | Should -Be 0
        $eff -band (1 -shl 12) | Should -Be 0
    }

    It 'stops a change at once with one PermissionDenied error that names the missing capabilities' {
        $name = New-TestName
        $out = Invoke-Unprivileged "try { New-NetNamespace -Name $name } catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category; `$_.Exception.Message }"
        $out[0] | Should -Be 'PermissionDenied,NetNs.Cmdlets.NewNetNamespaceCommand'
        $out[1] | Should -Be 'PermissionDenied'
        $out[2] | Should -Match 'needs the capabilities CAP_SYS_ADMIN and CAP_NET_ADMIN'
        $out[2] | Should -Match 'runs as root but without them'
        $out[2] | Should -Not -Match 'sudo'
        Test-Path "/run/netns/$name" | Should -BeFalse
    }

    It 'is terminating even with -ErrorAction SilentlyContinue, for every item of the pipeline' {
        $x, $y = New-TestName -Count 2
        $out = Invoke-Unprivileged "try { '$x', '$y' | New-NetNamespace -ErrorAction SilentlyContinue; 'went on' } catch { 'stopped' }"
        $out | Should -Be 'stopped'
        Test-Path "/run/netns/$x" | Should -BeFalse
        Test-Path "/run/netns/$y" | Should -BeFalse
    }

    It 'still lists names with Get-NetNamespace' {
        Invoke-Unprivileged "(Get-NetNamespace -Name $($script:a)).Name" | Should -Be $script:a
    }

    It 'reads the links and addresses of its own namespace, as ip does unprivileged' {
        $out = Invoke-Unprivileged "(Get-NetNsLink -Name lo).Name; (Get-NetNsAddress -InterfaceAlias lo -AddressFamily IPv4).IPAddress"
        $out | Should -Be 'lo', '127.0.0.1'
    }

    It 'tests a TCP connection in its own namespace without them' {
        Invoke-Unprivileged "(Test-NetNsConnection -TargetAddress 127.0.0.1 -Port 1).Status" | Should -Be 'ConnectionRefused'
    }

    It 'runs -WhatIf of a change without the privileges, and changes nothing' {
        $name = New-TestName
        $out = Invoke-Unprivileged "New-NetNamespace -Name $name -WhatIf; Set-NetNsLink -Namespace $($script:a) -Name lo -Up -WhatIf; 'done'"
        $out[-1] | Should -Be 'done'
        ($out -join "`n") | Should -Match "What if: .*$name"
        Test-Path "/run/netns/$name" | Should -BeFalse
        (Get-IpLink -Namespace $script:a -Name lo).operstate | Should -Be 'DOWN'
    }

    It 'stops a read of another namespace with one PermissionDenied error naming the capabilities' {
        $out = Invoke-Unprivileged "try { Get-NetNsLink -Namespace $($script:a) } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
        $out[0] | Should -Be 'PermissionDenied,NetNs.Cmdlets.GetNetNsLinkCommand'
        $out[1] | Should -Match 'CAP_SYS_ADMIN'
    }
}
