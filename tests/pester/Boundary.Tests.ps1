BeforeDiscovery {
    # The techniques are the probe's; discovery only needs their names and what is expected of each.
    $script:techniques = @(
        Select-String -Path (Join-Path $PSScriptRoot 'boundary/Invoke-BoundaryProbe.ps1') -Pattern "^\s+'(.+?)'\s+= '(Target|Refused|Error|Reported|Caller)'," |
            ForEach-Object { @{ Technique = $_.Matches[0].Groups[1].Value; Expected = $_.Matches[0].Groups[2].Value } }
    ) + @(@{ Technique = 'no thread left in a deleted namespace after Start-Job'; Expected = 'Target' })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/Pwsh.psm1') -Force
    Import-NetNsUnderTest
}

# The boundary: whatever a script block run by Invoke-InNetNamespace does reaches only the target namespace, or is
# refused with one NetNs error. The probe runs in a child pwsh inside a namespace of the test's own (the "caller"), so
# an escape would reach that namespace's listener, never the machine's own.
Describe 'The namespace boundary of Invoke-InNetNamespace' {
    BeforeAll {
        $script:caller, $script:target, $script:scratch = New-TestNamespace -Count 3
        foreach ($ns in $script:caller, $script:target) { & ip -n $ns link set lo up }
        $script:hostName = "nt-host-$($script:target.Substring(3))"
        $script:etc = "/etc/netns/$($script:target)"
        $script:hadEtcNetns = Test-Path /etc/netns
        New-Item -ItemType Directory -Path $script:etc -Force | Out-Null
        Set-Content -Path "$($script:etc)/hosts" -Value "127.0.0.1 localhost`n127.0.0.1 $($script:hostName)"
        $probe = Join-Path $PSScriptRoot 'boundary/Invoke-BoundaryProbe.ps1'
        $module = (Get-Module NetNs).Path -replace '\.dll$', '.psd1'
        $out = Invoke-Pwsh -Prefix 'timeout', '300', 'ip', 'netns', 'exec', $script:caller -ArgumentList '-NoProfile', '-NonInteractive', '-File', $probe,
            '-ModulePath', $module, '-Target', $script:target, '-Scratch', $script:scratch, '-HostName', $script:hostName 2>&1
        $script:exit = $LASTEXITCODE
        $script:output = $out -join "`n"
        $script:results = @{}
        foreach ($line in $out) {
            if ("$line" -match '^\{"Technique"') { $r = "$line" | ConvertFrom-Json; $script:results[$r.Technique] = $r }
        }
    }
    AfterAll {
        Remove-Item -Recurse -Force -LiteralPath $script:etc -ErrorAction SilentlyContinue
        if (-not $script:hadEtcNetns) { Remove-Item /etc/netns -ErrorAction SilentlyContinue }
        Remove-TestNamespace -Name $script:caller, $script:target, $script:scratch
    }

    It 'ran every technique' {
        $script:exit | Should -Be 0 -Because $script:output
        $script:results.Count | Should -Be $techniques.Count -Because $script:output
    }

    It '<Technique>: <Expected>' -ForEach $techniques {
        $r = $script:results[$Technique]
        $r | Should -Not -BeNullOrEmpty -Because "the probe must report it:`n$($script:output)"
        $r.Outcome | Should -Be $Expected -Because $r.Detail
        if ($Expected -eq 'Error') { $r.Detail | Should -Match 'no Runspace available|ScriptBlockDelegateInvokedFromWrongThread' }
        if ($Expected -eq 'Reported') { $r.Detail | Should -Match '^ERROR NamespaceEscape,NetNs.Cmdlets.InvokeInNetNamespaceCommand: the block''s work connected to 127\.0\.0\.1:\d+ from a thread outside' }
        $r.Outcome | Should -Not -Be 'Caller' -Because 'nothing may reach the caller''s namespace unseen'
    }
}
