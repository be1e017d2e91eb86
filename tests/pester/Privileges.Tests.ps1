BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

# Runs a child pwsh as root but with CAP_SYS_ADMIN and CAP_NET_ADMIN dropped from its bounding set
# (setpriv, util-linux), so the cmdlets meet a caller without the privileges they need.
Describe 'Without CAP_SYS_ADMIN and CAP_NET_ADMIN' -Skip:(-not (Get-Command setpriv -ErrorAction SilentlyContinue)) {
    BeforeAll {
        $script:pwsh = (Get-Process -Id $PID).Path
        $script:module = (Get-Module NetNs).Path -replace '\.dll$', '.psd1'
        function Invoke-Unprivileged([string]$Script) {
            $code = "Import-Module '$($script:module)'; $Script"
            & setpriv --bounding-set=-sys_admin,-net_admin --inh-caps=-sys_admin,-net_admin -- $script:pwsh -NoProfile -NonInteractive -Command $code 2>&1
        }
    }

    It 'stops at once with one PermissionDenied error that names the missing capabilities' {
        $name = New-TestName
        $out = Invoke-Unprivileged "try { New-NetNamespace -Name $name } catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category; `$_.Exception.Message }"
        $out[0] | Should -Be 'PermissionDenied,NetNs.Cmdlets.NewNetNamespaceCommand'
        $out[1] | Should -Be 'PermissionDenied'
        $out[2] | Should -Match 'CAP_SYS_ADMIN and CAP_NET_ADMIN'
        Test-Path "/run/netns/$name" | Should -BeFalse
    }

    It 'is terminating even with -ErrorAction SilentlyContinue, for every item of the pipeline' {
        $a, $b = New-TestName -Count 2
        $out = Invoke-Unprivileged "try { '$a', '$b' | New-NetNamespace -ErrorAction SilentlyContinue; 'went on' } catch { 'stopped' }"
        $out | Should -Be 'stopped'
        Test-Path "/run/netns/$a" | Should -BeFalse
        Test-Path "/run/netns/$b" | Should -BeFalse
    }

    It 'still lets Get-NetNamespace list names (it needs no privilege)' {
        $ns = New-TestNamespace
        try {
            $out = Invoke-Unprivileged "(Get-NetNamespace -Name $ns).Name"
            $out | Should -Be $ns
        } finally {
            Remove-TestNamespace -Name $ns
        }
    }
}
