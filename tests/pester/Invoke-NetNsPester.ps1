#Requires -Version 7.4
<#
.SYNOPSIS
Runs the NetNs Pester suite against the real kernel, then checks that it left nothing behind.

.DESCRIPTION
Runs every *.Tests.ps1 under tests/pester with Pester 5, then looks for leftovers of the suite's
'nt-' + 8 hex objects: named namespaces under /run/netns, links in the caller's (root) namespace, and
mounts under /run/netns in /proc/self/mountinfo. Only names this run handed out count (the helpers log
them to $env:NETNS_PESTER_NAMELOG), so other suites running at the same time are not reported.
Exits 1 when a test failed or something leaked. The last line is always
"Pester: N passed, N failed" (plus ", N skipped" when tests were skipped). Run as root.

.PARAMETER ModulePath
The NetNs.psd1 to test; defaults to $env:NETNS_MODULE_PATH, else <repo>/out/NetNs/NetNs.psd1.

.PARAMETER PesterPath
The Pester.psd1 to use; defaults to $env:NETNS_PESTER_PATH, else the Pester the build restored
(~/.nuget/packages/pester/<version>/tools), else Pester 5.5+ from the module path.

.PARAMETER Path
Test files or folders to run; defaults to tests/pester.

.PARAMETER TestResultPath
Also write NUnit XML results to this file.

.EXAMPLE
pwsh -NoProfile -NonInteractive -File tests/pester/Invoke-NetNsPester.ps1 -ModulePath out/NetNs/NetNs.psd1
#>
[CmdletBinding()]
param(
    [string]$ModulePath,
    [string]$PesterPath,
    [string[]]$Path,
    [string]$TestResultPath
)

$ErrorActionPreference = 'Stop'
$repo = Split-Path (Split-Path $PSScriptRoot)

if (-not $ModulePath) { $ModulePath = if ($env:NETNS_MODULE_PATH) { $env:NETNS_MODULE_PATH } else { Join-Path $repo 'out/NetNs/NetNs.psd1' } }
if (-not (Test-Path -LiteralPath $ModulePath)) {
    Write-Host "Module not found: $ModulePath (build it with: dotnet build src/NetNs)"
    Write-Host 'Pester: 0 passed, 0 failed'
    exit 1
}
$env:NETNS_MODULE_PATH = (Resolve-Path -LiteralPath $ModulePath).Path

function Get-NetNsLeftover {
    <#
    Leftovers of this run: objects named 'nt-' + 8 hex whose first 10 characters match a name the run's
    New-TestName handed out (tests derive 'stem' + one hex digit names from those). Other suites on this
    machine (the xunit tests, the bench) use 'nt-' names too; matching only this run's names keeps their
    live objects out of the report.
    #>
    param([string[]]$RunNames)
    $stems = [Collections.Generic.HashSet[string]]::new([string[]]@($RunNames | Where-Object { $_.Length -ge 10 } | ForEach-Object { $_.Substring(0, 10) }))
    $isOurs = { param($n) $n -match '^nt-[0-9a-f]{8}$' -and $stems.Contains($n.Substring(0, 10)) }
    $found = [Collections.Generic.List[string]]::new()
    if (Test-Path /run/netns) {
        foreach ($f in Get-ChildItem -LiteralPath /run/netns -Force) {
            if (& $isOurs $f.Name) { $found.Add("namespace /run/netns/$($f.Name)") }
        }
    }
    foreach ($line in & ip -o link show 2>$null) {
        # "12: nt-1a2b3c4d@if3: <...>" — the name ends at '@' or ':'.
        if ($line -match '^\d+:\s+([^:@\s]+)' -and (& $isOurs $Matches[1])) { $found.Add("link $($Matches[1]) in the root namespace") }
    }
    foreach ($line in [IO.File]::ReadLines('/proc/self/mountinfo')) {
        $mountPoint = ($line -split ' ')[4]
        if ($mountPoint -match '^/run/netns/(.+)$' -and (& $isOurs $Matches[1])) { $found.Add("mount $mountPoint") }
    }
    $found
}

if (-not $PesterPath) { $PesterPath = $env:NETNS_PESTER_PATH }
if (-not $PesterPath) {
    $props = & dotnet msbuild (Join-Path $repo 'tests/NetNs.Tests/NetNs.Tests.csproj') -nologo -getProperty:NuGetPackageRoot -getProperty:PesterVersion 2>$null |
        Out-String | ConvertFrom-Json -ErrorAction SilentlyContinue
    if ($props) {
        $restored = Join-Path $props.Properties.NuGetPackageRoot "pester/$($props.Properties.PesterVersion)/tools/Pester.psd1"
        if (Test-Path -LiteralPath $restored) { $PesterPath = $restored }
    }
}
try {
    if ($PesterPath) { Import-Module $PesterPath -ErrorAction Stop } else { Import-Module Pester -MinimumVersion 5.5 -ErrorAction Stop }
}
catch {
    Write-Host "Pester could not be loaded ($_): build first (dotnet build restores it)"
    Write-Host 'Pester: 0 passed, 0 failed'
    exit 1
}
Write-Host "Pester $((Get-Module Pester).Version) from $((Get-Module Pester).ModuleBase)"

$config = New-PesterConfiguration
# With pwsh -File a list arrives as one 'a,b' string.
$config.Run.Path = if ($Path) { @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ }) } else { $PSScriptRoot }
$config.Run.Exit = $false
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
if ($TestResultPath) {
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = $TestResultPath
}

$nameLog = [IO.Path]::GetTempFileName()
$env:NETNS_PESTER_NAMELOG = $nameLog
$result = $null
try {
    $result = Invoke-Pester -Configuration $config
}
catch {
    Write-Host "Invoke-Pester failed: $_"
}

$runNames = @(Get-Content -LiteralPath $nameLog -ErrorAction SilentlyContinue)
Remove-Item -LiteralPath $nameLog -ErrorAction SilentlyContinue
$leftovers = @(Get-NetNsLeftover -RunNames $runNames)
if ($leftovers.Count -gt 0) {
    Write-Host "Leaked by the tests ($($leftovers.Count)):"
    $leftovers | ForEach-Object { Write-Host "  $_" }
}

$passed = if ($result) { $result.PassedCount } else { 0 }
$failed = if ($result) { $result.FailedCount } else { 0 }
$skipped = if ($result) { $result.SkippedCount } else { 0 }
# A file that fails in discovery or a block whose BeforeAll/AfterAll fails is a failure too.
$broken = if ($result) { $result.FailedContainersCount + $result.FailedBlocksCount } else { 1 }
if ($broken -gt 0) { Write-Host "Failed containers or blocks: $broken" }

$summary = "Pester: $passed passed, $failed failed"
if ($skipped -gt 0) { $summary += ", $skipped skipped" }
Write-Host $summary
exit $(if ($null -eq $result -or $failed -gt 0 -or $broken -gt 0 -or $leftovers.Count -gt 0) { 1 } else { 0 })
