#Requires -Version 7.4
<#
.SYNOPSIS
    Builds NetNs, stages the module in out/NetNs/, and runs the tests or the demo lab.
.DESCRIPTION
    Build: dotnet build of NetNs.sln; the NetNs project stages out/NetNs/ (manifest, assemblies,
    formats, types, MAML help, about_NetNs).
    Test:  Build, then the xunit suites (core on the real kernel, cmdlet metadata), then the Pester 5 suite
           in a fresh `pwsh -NoProfile -NonInteractive` when Pester 5 is installed, then the leak check.
           Needs root for the kernel tests (they are skipped, with the reason, otherwise).
    Demo:  Build, then runs examples/demo.ps1 (a lab built, pinged and torn down).
.EXAMPLE
    sudo pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo')]
    [string]$Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$module = Join-Path $root 'out/NetNs/NetNs.psd1'

function Invoke-Native([string]$File, [string[]]$Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'NetNs.sln'), '-c', $Configuration, '-nologo', '-v', 'minimal')
    if (-not (Test-Path $module)) { throw "the build did not stage $module" }
}

function Invoke-Test {
    $results = Join-Path $root 'out/test-results'
    Remove-Item -Recurse -Force $results -ErrorAction SilentlyContinue
    $failed = $false
    foreach ($project in 'tests/NetNs.Core.Tests', 'tests/NetNs.Tests') {
        if (-not (Test-Path (Join-Path $root $project))) { continue }
        & dotnet test (Join-Path $root $project) -c $Configuration --no-build --nologo `
            --logger 'console;verbosity=normal' --logger 'trx' --results-directory $results
        if ($LASTEXITCODE -ne 0) { $failed = $true }
    }

    [int]$passed = 0; [int]$failedCount = 0; [int]$skipped = 0
    foreach ($trx in Get-ChildItem $results -Filter *.trx -ErrorAction SilentlyContinue) {
        $c = ([xml](Get-Content -Raw $trx.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$c.passed; $failedCount += [int]$c.failed; $skipped += [int]$c.notExecuted
    }
    Write-Host "xunit: $passed passed, $failedCount failed, $skipped skipped"

    $pester = Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0.0' | Sort-Object Version -Descending | Select-Object -First 1
    if ($pester) {
        # A fresh pwsh, so the suite imports the staged module into a clean session.
        & (Get-Process -Id $PID).Path -NoProfile -NonInteractive -File (Join-Path $root 'tests/pester/Invoke-NetNsPester.ps1') -ModulePath $module |
            Tee-Object -Variable pesterOutput | Out-Host
        if ($LASTEXITCODE -ne 0) { $failed = $true }
        $line = @($pesterOutput) -match '^Pester: \d+ passed, \d+ failed' | Select-Object -Last 1
        if ($line -match '^Pester: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?') {
            $passed += [int]$Matches[1]; $failedCount += [int]$Matches[2]; $skipped += [int]$Matches[3]
        } else {
            $failed = $true
        }
    } else {
        Write-Warning 'Pester 5 is not installed: the cmdlet suite (tests/pester) was not run. Install-Module Pester -MinimumVersion 5.0 to run it.'
    }

    & bash (Join-Path $root 'tests/NetNs.Core.Tests/leak-check.sh')
    if ($LASTEXITCODE -ne 0) { $failed = $true }

    Write-Host "Total: $passed passed, $failedCount failed, $skipped skipped"
    if ($failed) { throw 'tests failed (see above)' }
}

Push-Location $root
try {
    Invoke-Build
    switch ($Task) {
        'Test' { Invoke-Test }
        'Demo' { & (Join-Path $root 'examples/demo.ps1') }
    }
} finally {
    Pop-Location
}
