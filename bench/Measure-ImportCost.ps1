#Requires -Version 7.4
<#
.SYNOPSIS
What Import-Module NetNs adds to a pwsh start, against the floor: a minimal manifest around an empty binary module.

.DESCRIPTION
Run by hand (not in CI), after ./build.sh package. Starts the pinned pwsh (tools/Pwsh.psm1) -NoProfile
-NonInteractive Runs times for each variant, interleaved (bare, empty, NetNs ReadyToRun, NetNs IL, bare, ...),
and times each start with a wall clock, from process start to exit:

  bare      pwsh -c <script> with no import
  empty     the same plus Import-Module of a manifest around an empty binary module (a net8.0 class library with one
            empty cmdlet, built once into a temp folder by this script): PowerShell's own cost of a binary module
  netns-r2r the same plus Import-Module of the packaged NetNs (out/package/NetNs: ReadyToRun for .NET 10)
  netns-il  the same plus Import-Module of the built NetNs (out/NetNs: IL only)

Every variant runs the same script around the import (a stopwatch and the JIT's method count), so the differences
are the imports. Prints per variant the median and min wall time, the median time Import-Module took inside the
process, the methods JIT-compiled during it, the child's own CPU time (user + system, read just before it exits) and the median of
the per-round differences to bare ("paired", robust to load that drifts during the run); then the import cost over
bare three ways (wall medians, paired, CPU) and the ratio NetNs / empty for each (target <= 1.2 on the wall
medians). Apart (Runs/3 more starts of each NetNs variant, not in the import figures): the first Get-NetNsLink
after the import (in the caller's namespace: reads only) and the methods JIT-compiled for it, where ReadyToRun
replaces JIT work in NetNs's own code.

.PARAMETER Runs
Starts per variant (default 21).

.EXAMPLE
./build.sh package; dotnet tool run pwsh -NoProfile -File bench/Measure-ImportCost.ps1 -Runs 31
#>
[CmdletBinding()]
param([ValidateRange(3, 500)][int]$Runs = 21)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$repo = Split-Path $PSScriptRoot
Import-Module (Join-Path $repo 'tools/Pwsh.psm1')
Import-Module (Join-Path $repo 'tools/Package.psm1')

$r2r = Join-Path $repo 'out/package/NetNs/NetNs.psd1'
$il = Join-Path $repo 'out/NetNs/NetNs.psd1'
foreach ($p in $r2r, $il) { if (-not (Test-Path -LiteralPath $p)) { throw "$p is missing: run ./build.sh package first" } }
if (-not (Get-ReadyToRunVersion (Join-Path (Split-Path $r2r) 'NetNs.Core.dll'))) { throw "$r2r is not ReadyToRun-compiled" }
if (Get-ReadyToRunVersion (Join-Path (Split-Path $il) 'NetNs.Core.dll')) { throw "$il is expected to be IL only" }

# The floor: a minimal manifest around an empty binary module, built once (same TFM and PowerShell API as NetNs).
$work = Join-Path ([IO.Path]::GetTempPath()) "netns-importbench-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
$src = Join-Path $work 'src'
$empty = Join-Path $work 'Empty'
$null = New-Item -ItemType Directory -Force -Path $src, $empty
try {
    Set-Content -LiteralPath (Join-Path $src 'Empty.csproj') -Value @'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework><AssemblyName>Empty</AssemblyName></PropertyGroup>
  <ItemGroup><PackageReference Include="PowerShellStandard.Library" Version="5.1.1" PrivateAssets="all" /></ItemGroup>
</Project>
'@
    Set-Content -LiteralPath (Join-Path $src 'GetEmpty.cs') -Value @'
using System.Management.Automation;
[Cmdlet(VerbsCommon.Get, "Empty")]
public sealed class GetEmptyCommand : PSCmdlet { }
'@
    & dotnet build $src -c Release -nologo -v quiet -o (Join-Path $work 'bin') | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'the empty module did not build' }
    Copy-Item -LiteralPath (Join-Path $work 'bin/Empty.dll') -Destination $empty
    New-ModuleManifest -Path (Join-Path $empty 'Empty.psd1') -RootModule 'Empty.dll' -ModuleVersion '1.0.0' `
        -CmdletsToExport 'Get-Empty' -FunctionsToExport @() -AliasesToExport @() -VariablesToExport @() -CompatiblePSEditions Core

    $variants = [ordered]@{
        'bare'      = $null
        'empty'     = Join-Path $empty 'Empty.psd1'
        'netns-r2r' = $r2r
        'netns-il'  = $il
    }
    # Same script for all: stopwatch and JIT count around the import (none for bare), one output line.
    $scriptFor = {
        param($manifest, [switch]$FirstCall)
        $import = if ($manifest) { "Import-Module '$manifest'" } else { '' }
        $link = if ($FirstCall) { '$l=[Diagnostics.Stopwatch]::StartNew(); $jl=[System.Runtime.JitInfo]::GetCompiledMethodCount(); $null = Get-NetNsLink; $lm=$l.Elapsed.TotalMilliseconds; $jit=[System.Runtime.JitInfo]::GetCompiledMethodCount()-$jl' } else { '$lm=0' }
        "`$j=[System.Runtime.JitInfo]::GetCompiledMethodCount(); `$t=[Diagnostics.Stopwatch]::StartNew(); $import; `$ms=`$t.Elapsed.TotalMilliseconds; " +
        "`$jit=[System.Runtime.JitInfo]::GetCompiledMethodCount()-`$j; $link; `$cpu=[Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalMilliseconds; [Console]::Out.WriteLine(`"`$ms `$jit `$lm `$cpu`"); exit"
    }
    $pwsh = Get-PwshCommand
    $samples = @{}
    foreach ($name in $variants.Keys) { $samples[$name] = [Collections.Generic.List[double[]]]::new() }

    function Invoke-Sample([string]$Name, [string]$Command) {
        $psi = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
        foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Command)) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.UseShellExecute = $false
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $p = [Diagnostics.Process]::Start($psi)
        $out = $p.StandardOutput.ReadToEnd()
        $p.WaitForExit()
        $wall = $clock.Elapsed.TotalMilliseconds
        if ($p.ExitCode -ne 0) { throw "$Name`: pwsh exited with $($p.ExitCode): $out" }
        $f = $out.Trim() -split ' '
        [double[]]@($wall, [double]$f[0], [double]$f[1], [double]$f[2], [double]$f[3])
    }

    $names = [string[]]@($variants.Keys)
    for ($run = 0; $run -le $Runs; $run++) {
        # Rotate the order each round, so no variant always follows the same one.
        for ($k = 0; $k -lt $names.Count; $k++) {
            $name = $names[($k + $run) % $names.Count]
            $sample = Invoke-Sample $name (& $scriptFor $variants[$name])
            # Round 0 warms the page cache and pwsh's startup cache; it is not counted.
            if ($run -gt 0) { $samples[$name].Add($sample) }
        }
    }
    # Apart, not in the import figures: the first cmdlet call after the import (Get-NetNsLink, which only reads the
    # caller's namespace), where ReadyToRun code replaces JIT work in NetNs's own code.
    $firstCall = @{ 'netns-r2r' = [Collections.Generic.List[double[]]]::new(); 'netns-il' = [Collections.Generic.List[double[]]]::new() }
    for ($run = 0; $run -lt [Math]::Max(5, [int]($Runs / 3)); $run++) {
        foreach ($name in 'netns-r2r', 'netns-il') { $firstCall[$name].Add((Invoke-Sample $name (& $scriptFor $variants[$name] -FirstCall))) }
    }

    function Get-Median([double[]]$Values) {
        $s = [double[]]($Values | Sort-Object)
        if ($s.Count % 2) { $s[[int][Math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 }
    }
    function Get-Column($Samples, [int]$Index) { [double[]]@($Samples | ForEach-Object { $_[$Index] }) }
    $rows = foreach ($name in $names) {
        $v = $samples[$name]
        [pscustomobject]@{
            Variant          = $name
            'Median ms'      = [Math]::Round((Get-Median (Get-Column $v 0)), 1)
            'Min ms'         = [Math]::Round((Get-Column $v 0 | Measure-Object -Minimum).Minimum, 1)
            'Import ms'      = [Math]::Round((Get-Median (Get-Column $v 1)), 1)
            'JIT methods'    = [int](Get-Median (Get-Column $v 2))
            'First Get-NetNsLink ms' = if ($firstCall.ContainsKey($name)) { [Math]::Round((Get-Median (Get-Column $firstCall[$name] 3)), 1) } else { '' }
            'its JIT methods' = if ($firstCall.ContainsKey($name)) { [int](Get-Median (Get-Column $firstCall[$name] 2)) } else { '' }
            'CPU ms'         = [Math]::Round((Get-Median (Get-Column $v 4)), 1)
            # Each run against bare's run of the same round (seconds apart): robust to load that drifts.
            'Paired +ms'     = [Math]::Round((Get-Median ([double[]]@(for ($i = 0; $i -lt $v.Count; $i++) { $v[$i][0] - $samples['bare'][$i][0] }))), 1)
        }
    }
    Write-Host "pwsh: $($pwsh -join ' ') (PowerShell $($PSVersionTable.PSVersion), .NET $([Environment]::Version)); $Runs runs per variant, interleaved"
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
    $row = @{}; foreach ($r in $rows) { $row[$r.Variant] = $r }
    $floor = @{
        wall   = $row['empty'].'Median ms' - $row['bare'].'Median ms'
        paired = $row['empty'].'Paired +ms'
        cpu    = $row['empty'].'CPU ms' - $row['bare'].'CPU ms'
    }
    Write-Host ("the floor (empty module import over bare): wall medians +{0:N1} ms, paired +{1:N1} ms, CPU +{2:N1} ms" -f $floor.wall, $floor.paired, $floor.cpu)
    foreach ($name in 'netns-r2r', 'netns-il') {
        $cost = @{
            wall   = $row[$name].'Median ms' - $row['bare'].'Median ms'
            paired = $row[$name].'Paired +ms'
            cpu    = $row[$name].'CPU ms' - $row['bare'].'CPU ms'
        }
        $ratio = @{}; foreach ($k in 'wall', 'paired', 'cpu') { $ratio[$k] = if ($floor[$k] -gt 0) { $cost[$k] / $floor[$k] } else { [double]::NaN } }
        Write-Host ("{0} import over bare: wall medians +{1:N1} ms = {2:N2} x the floor, paired +{3:N1} ms = {4:N2} x, CPU +{5:N1} ms = {6:N2} x (target <= 1.2 on the wall medians: {7})" -f $name,
            $cost.wall, $ratio.wall, $cost.paired, $ratio.paired, $cost.cpu, $ratio.cpu, $(if ($ratio.wall -le 1.2) { 'met' } else { 'not met' }))
    }
    $load = (Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ' | Select-Object -First 3
    Write-Host "load average at the end: $($load -join ' ') on $([Environment]::ProcessorCount) CPUs (other load makes the wall times noisy; CPU ms is the child's own user+system time)"
} finally {
    Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction SilentlyContinue
}
