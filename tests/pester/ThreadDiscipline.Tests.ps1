BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/Pwsh.psm1') -Force
    Import-NetNsUnderTest
}

# In a fresh pwsh the module's first internal namespace step happens inside a script block run in a
# namespace: NetNs's worker thread is then created by a thread that is inside it. It must still start from
# the process's own namespaces, or every later New-NetNamespace fails and keeps the wrong namespace alive.
Describe 'NetNs threads made from inside a namespace' {
    BeforeAll { $script:a, $script:b = New-TestNamespace -Count 2 }
    AfterAll { Remove-TestNamespace -Name $script:a, $script:b }

    It 'start from the process''s original namespaces (fresh pwsh, first step inside Invoke-NetNsCommand)' {
        $c = New-TestName
        $module = (Get-Module NetNs).Path -replace '\.dll$', '.psd1'
        $code = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$module'
Invoke-NetNsCommand -Namespace $($script:a) { param(`$b) (Get-NetNsSysctl -Namespace `$b -Key net.ipv4.ip_forward).Value } -ArgumentList $($script:b)
try {
    New-NetNamespace $c | Out-Null
    'links: ' + ((Get-NetNsLink -Namespace $c).Name -join ',')
    `$net = (Get-Item /proc/thread-self/ns/net).Target; `$mnt = (Get-Item /proc/thread-self/ns/mnt).Target
    foreach (`$t in Get-ChildItem /proc/self/task) {
        if ((Get-Content "`$(`$t.FullName)/comm") -eq 'netns:worker') {
            'worker home: ' + (((Get-Item "`$(`$t.FullName)/ns/net").Target -eq `$net) -and ((Get-Item "`$(`$t.FullName)/ns/mnt").Target -eq `$mnt))
        }
    }
} finally { Remove-NetNamespace $c -Confirm:`$false -ErrorAction SilentlyContinue }
"@
        $out = Invoke-Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $code 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $out | Should -Contain '0'
        $out | Should -Contain 'links: lo'
        $out | Should -Contain 'worker home: True'
        Test-Path "/run/netns/$c" | Should -BeFalse
    }
}
