#Requires -Version 7.4
<#
.SYNOPSIS
    Builds NetNs, stages the module in out/NetNs/, and runs the tests or the demo lab.
.DESCRIPTION
    Build: dotnet build of NetNs.sln; the NetNs project stages out/NetNs/ (manifest, assemblies,
    formats, types, MAML help, about_NetNs).
    Test:  Build, then the xunit suites (core on the real kernel; the cmdlets in-process in a real runspace),
           then the Pester suite in a fresh `pwsh -NoProfile -NonInteractive` with the Pester restored by the
           build, then the package check (Package, then tests/package/Test-NetNsPackage.ps1: installed from a
           local repository into a new pwsh, imported by name, a lab run from it), then the leak check. A Pester suite that does not run, or runs no test, fails the run.
           Needs root. The last line is "Total: N passed, N failed, N skipped".
    Package: Build, then stages the shipped module folder in out/package/NetNs/ (manifest, both assemblies
           ReadyToRun-compiled for .NET 10 by tools/NetNs.ReadyToRun, formats, MAML help, about_NetNs, LICENSE
           and nothing else), publishes it with PSResourceGet into a
           throw-away local repository and keeps the package as out/package/NetNs.<version>.nupkg. The version is
           NetNs.psd1's ModuleVersion (set there only; Directory.Build.props reads it into the assemblies).
    Demo:  Build, then runs examples/demo.ps1 (a lab built step by step, then one deployed from a definition; both tested and torn down).
.EXAMPLE
    sudo ./build.sh test      # brings pwsh (dotnet tool restore) and runs this script with -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package')]
    [string]$Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$module = Join-Path $root 'out/NetNs/NetNs.psd1'
Import-Module (Join-Path $root 'tools/Pwsh.psm1')
Import-Module (Join-Path $root 'tools/Package.psm1')

function Invoke-Native([string]$File, [string[]]$Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'NetNs.sln'), '-c', $Configuration, '-nologo', '-v', 'minimal')
    if (-not (Test-Path $module)) { throw "the build did not stage $module" }
}

function Invoke-Package {
    $packageDir = Join-Path $root 'out/package'
    $stage = Join-Path $packageDir 'NetNs'
    Remove-Item -Recurse -Force $packageDir -ErrorAction SilentlyContinue
    $staged = Split-Path $module
    foreach ($file in Get-NetNsModuleFile) {
        $source = if ($file -eq 'LICENSE') { Join-Path $root 'LICENSE' } else { Join-Path $staged $file }
        $target = Join-Path $stage $file
        $null = New-Item -ItemType Directory -Force -Path (Split-Path $target)
        Copy-Item -LiteralPath $source -Destination $target
    }

    # The assemblies ship ReadyToRun-compiled for .NET 10 (pwsh 7.6) on linux-x64: tools/NetNs.ReadyToRun says how
    # and why not with net8.0's crossgen. Elsewhere the runtime JIT-compiles their IL as before.
    $r2r = Join-Path $packageDir 'r2r'
    Invoke-Native dotnet @('publish', (Join-Path $root 'tools/NetNs.ReadyToRun/NetNs.ReadyToRun.csproj'), '-c', $Configuration, '-o', $r2r, '-nologo', '-v', 'minimal') | Out-Host
    foreach ($dll in 'NetNs.dll', 'NetNs.Core.dll') {
        $format = Get-ReadyToRunVersion (Join-Path $r2r $dll)
        if (-not $format) { throw "$dll came out of tools/NetNs.ReadyToRun without ReadyToRun code" }
        Copy-Item -LiteralPath (Join-Path $r2r $dll) -Destination (Join-Path $stage $dll) -Force
        Write-Host "$dll`: ReadyToRun format $format"
    }
    Remove-Item -Recurse -Force $r2r

    # The one version: NetNs.psd1's ModuleVersion. The assemblies must carry it too (Directory.Build.props).
    $version = (Import-PowerShellDataFile (Join-Path $stage 'NetNs.psd1')).ModuleVersion
    foreach ($dll in 'NetNs.dll', 'NetNs.Core.dll') {
        $assemblyVersion = [Reflection.AssemblyName]::GetAssemblyName((Join-Path $stage $dll)).Version
        if ($assemblyVersion -ne [version]"$version.0") { throw "$dll is version $assemblyVersion, the manifest says $version" }
    }

    # Publish-PSResource packs the folder (it validates the manifest and writes the nuspec from it) into a local
    # file repository registered in a throw-away PSResourceGet configuration (a child pwsh with its own HOME, so the
    # user's repository list is untouched); -DestinationPath keeps a copy.
    $work = Join-Path $packageDir 'publish'
    $repository = Join-Path $work 'repository'
    $null = New-Item -ItemType Directory -Force -Path $repository
    Invoke-IsolatedPwsh -HomeDirectory (Join-Path $work 'home') -ArgumentList $repository, $stage, $packageDir -Script @'
Register-PSResourceRepository -Name netns-package -Uri $args[0] -Trusted
Publish-PSResource -Path $args[1] -Repository netns-package -DestinationPath $args[2]
'@ | Out-Host
    Remove-Item -Recurse -Force $work
    $nupkg = Join-Path $packageDir "NetNs.$version.nupkg"
    if (-not (Test-Path -LiteralPath $nupkg)) { throw "Publish-PSResource did not write $nupkg" }
    $problems = @(Test-NetNsPackageEntry -Path $nupkg)
    if ($problems) { throw "the package is not what it should be: $($problems -join '; ')" }
    $size = (Get-Item -LiteralPath $nupkg).Length
    Write-Host "package: $nupkg ($size bytes)"
    Get-NupkgEntry -Path $nupkg | ForEach-Object { Write-Host "  $_" }
    $nupkg
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

    # The package (./build.sh package), installed from a local repository into a new pwsh that imports it by name
    # and builds, probes and removes a two-namespace lab from the installed copy (tests/package). Part of the suite:
    # a package that is not made, not installed or not working fails the run.
    $clock = [Diagnostics.Stopwatch]::StartNew()
    try {
        $nupkg = Invoke-Package
        Invoke-Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'tests/package/Test-NetNsPackage.ps1'), '-Package', $nupkg |
            Tee-Object -Variable packageOutput | Out-Host
        $packageExit = $LASTEXITCODE
        $line = @($packageOutput) -match '^Package: \d+ passed, \d+ failed' | Select-Object -Last 1
        if ($line -match '^Package: (\d+) passed, (\d+) failed') {
            $passed += [int]$Matches[1]; $failedCount += [int]$Matches[2]
            if ($packageExit -ne 0) { $failed.Add('package install (tests/package)') }
        } else {
            $failed.Add("package install (did not run: exit code $packageExit, no summary line)")
        }
    } catch {
        $failedCount++
        $failed.Add("package ($_)")
    }
    Write-Host "package step: $([Math]::Round($clock.Elapsed.TotalSeconds, 1)) s"

    & bash (Join-Path $root 'tests/NetNs.Core.Tests/leak-check.sh')
    if ($LASTEXITCODE -ne 0) { $failed.Add('leak check') }

    Write-Host "Total: $passed passed, $failedCount failed, $skipped skipped"
    if ($failed.Count) { throw "tests failed: $($failed -join ', ')" }
}

Push-Location $root
try {
    Invoke-Build
    switch ($Task) {
        'Package' { $null = Invoke-Package }
        'Test' { Invoke-Test }
        'Demo' { & (Join-Path $root 'examples/demo.ps1') }
    }
} finally {
    Pop-Location
}
