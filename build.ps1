#Requires -Version 7.4
<#
.SYNOPSIS
    Builds NetNs, stages the module in out/NetNs/, and runs the tests or the demo lab.
.DESCRIPTION
    Build: dotnet build of NetNs.sln; the NetNs project stages out/NetNs/ (manifest, assemblies,
    formats, types, MAML help, about_NetNs).
    Test:  Build, then the xunit suites (core on the real kernel; the cmdlets in-process in a real runspace),
           then the Pester suite in a fresh `pwsh -NoProfile -NonInteractive` with the Pester restored by the
           build, then the leak check. A Pester suite that does not run, or runs no test, fails the run.
           Needs root. The last line is "Total: N passed, N failed, N skipped".
    Demo:  Build, then runs examples/demo.ps1 (a lab built step by step, then one deployed from a definition; both tested and torn down).
.EXAMPLE
    sudo ./build.sh test      # brings pwsh (dotnet tool restore) and runs this script with -Task Test
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
Import-Module (Join-Path $root 'tools/Pwsh.psm1')

function Invoke-Native([string]$File, [string[]]$Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'NetNs.sln'), '-c', $Configuration, '-nologo', '-v', 'minimal')
    if (-not (Test-Path $module)) { throw "the build did not stage $module" }
}

function Get-PesterModulePath {
    # Pester is restored with the tests (PackageDownload in tests/NetNs.Tests, version in Directory.Build.props).
    $json = & dotnet msbuild (Join-Path $root 'tests/NetNs.Tests/NetNs.Tests.csproj') -nologo `
        -getProperty:NuGetPackageRoot -getProperty:PesterVersion
    if ($LASTEXITCODE -ne 0) { throw "dotnet msbuild could not read where Pester was restored: $json" }
    $p = ($json | Out-String | ConvertFrom-Json).Properties
    Join-Path $p.NuGetPackageRoot "pester/$($p.PesterVersion)/tools/Pester.psd1"
}

function Invoke-Test {
    $results = Join-Path $root 'out/test-results'
    Remove-Item -Recurse -Force $results -ErrorAction SilentlyContinue
    $failed = [Collections.Generic.List[string]]::new()
    foreach ($project in 'tests/NetNs.Core.Tests', 'tests/NetNs.Tests') {
        & dotnet test (Join-Path $root $project) -c $Configuration --no-build --nologo `
            --logger 'console;verbosity=normal' --logger 'trx' --results-directory $results
        if ($LASTEXITCODE -ne 0) { $failed.Add("xunit ($project)") }
    }

    [int]$passed = 0; [int]$failedCount = 0; [int]$skipped = 0
    foreach ($trx in Get-ChildItem $results -Filter *.trx -ErrorAction SilentlyContinue) {
        $c = ([xml](Get-Content -Raw $trx.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$c.passed; $failedCount += [int]$c.failed; $skipped += [int]$c.notExecuted
    }
    Write-Host "xunit: $passed passed, $failedCount failed, $skipped skipped"

    # Pester is part of the suite, never optional: a run that did not happen, or ran no test, fails.
    $pester = Get-PesterModulePath
    if (-not (Test-Path -LiteralPath $pester)) {
        $failed.Add("Pester (not restored: $pester is missing)")
    } else {
        # A fresh pwsh, so the suite imports the staged module into a clean session.
        $runner = Join-Path $root 'tests/pester/Invoke-NetNsPester.ps1'
        Invoke-Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', $runner, '-ModulePath', $module, '-PesterPath', $pester |
            Tee-Object -Variable pesterOutput | Out-Host
        $pesterExit = $LASTEXITCODE
        $line = @($pesterOutput) -match '^Pester: \d+ passed, \d+ failed' | Select-Object -Last 1
        if ($line -match '^Pester: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?') {
            $passed += [int]$Matches[1]; $failedCount += [int]$Matches[2]; $skipped += [int]$Matches[3]
            if ([int]$Matches[1] + [int]$Matches[2] -eq 0) { $failed.Add('Pester (the suite ran no test)') }
            elseif ($pesterExit -ne 0) { $failed.Add('Pester') }
        } else {
            $failed.Add("Pester (the suite did not run: exit code $pesterExit, no summary line)")
        }
    }

    & bash (Join-Path $root 'tests/NetNs.Core.Tests/leak-check.sh')
    if ($LASTEXITCODE -ne 0) { $failed.Add('leak check') }

    Write-Host "Total: $passed passed, $failedCount failed, $skipped skipped"
    if ($failed.Count) { throw "tests failed: $($failed -join ', ')" }
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
