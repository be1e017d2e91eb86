#Requires -Version 7.4
<#
.SYNOPSIS
Installs the NetNs package the way a user does and uses it from a new pwsh: the CI check of the package.

.DESCRIPTION
1. The package holds exactly the shipped module files (and NuGet's own parts): anything else, or a missing file,
   fails; both assemblies carry ReadyToRun code .NET 10 uses (format 16 or later). The check itself is tried on two doctored copies (an extra .pdb, a missing LICENSE), which it must reject.
2. As a throw-away user (a child pwsh whose HOME is a new temp folder, so the user's PSResourceGet repository
   list and modules are left as they were): Register-PSResourceRepository -Name netns-local -Uri <temp dir>
   -Trusted, Publish-PSResource -NupkgPath <the package> -Repository netns-local, Install-PSResource NetNs
   -Repository netns-local -Scope CurrentUser, which installs into <that HOME>/.local/share/powershell/Modules.
3. A new pwsh (the pinned one, tools/Pwsh.psm1) whose PSModulePath holds only that install folder and
   $PSHOME/Modules: Import-Module NetNs by name (from the install folder), Get-Command -Module NetNs lists every
   cmdlet of the repository's manifest, Get-Help New-NetNamespace -Full shows the synopsis written in
   docs/New-NetNamespace.md (not the syntax-only stub PowerShell makes up without help), and a two-namespace lab
   (nt-<8 hex> names, 198.18.x addresses) is built, probed with Test-NetNsConnection and removed.
4. Uninstall-PSResource NetNs removes the install; the repository is unregistered and the temp folders deleted.
Prints one PASS or FAIL line per check and last "Package: N passed, N failed"; exits 1 when a check failed.
Needs root (the lab creates namespaces).

.PARAMETER Package
The .nupkg to check; defaults to the one ./build.sh package wrote (out/package/NetNs.<version>.nupkg).
#>
[CmdletBinding()]
param([string]$Package)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$repo = Split-Path (Split-Path $PSScriptRoot)
Import-Module (Join-Path $repo 'tools/Pwsh.psm1')
Import-Module (Join-Path $repo 'tools/Package.psm1')

$manifest = Import-PowerShellDataFile (Join-Path $repo 'NetNs.psd1')
$version = $manifest.ModuleVersion
if (-not $Package) { $Package = Join-Path $repo "out/package/NetNs.$version.nupkg" }

$script:passed = 0
$script:failed = 0
function Write-Check([string]$Name, [bool]$Ok, [string]$Detail) {
    if ($Ok) { $script:passed++; Write-Host "PASS $Name$(if ($Detail) { " ($Detail)" })" }
    else { $script:failed++; Write-Host "FAIL $Name$(if ($Detail) { ": $Detail" })" }
}

$clock = [Diagnostics.Stopwatch]::StartNew()
$work = Join-Path ([IO.Path]::GetTempPath()) "netns-package-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
$userHome = Join-Path $work 'home'          # the throw-away HOME: PSResourceGet's config and CurrentUser scope
$repository = Join-Path $work 'repository'  # the netns-local file repository
$installRoot = Join-Path $userHome '.local/share/powershell/Modules'
$stem = 'nt-' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(4)).ToLowerInvariant()
$names = @(($stem.Substring(0, 10) + 'a'), ($stem.Substring(0, 10) + 'b'))  # two nt-<8 hex> names from one stem
$null = New-Item -ItemType Directory -Force -Path $repository, $installRoot

try {
    # 1. The package's entries, and the check itself on doctored copies.
    if (-not (Test-Path -LiteralPath $Package)) {
        Write-Check 'package exists' $false "$Package is missing (make it with ./build.sh package)"
        return
    }
    $problems = @(Test-NetNsPackageEntry -Path $Package)
    $entries = Get-NupkgEntry -Path $Package
    Write-Check 'package holds exactly the module files' (-not $problems) $(if ($problems) { $problems -join '; ' } else { "$($entries.Count) entries, $((Get-Item -LiteralPath $Package).Length) bytes" })

    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $extra = Join-Path $work 'extra.nupkg'; Copy-Item -LiteralPath $Package $extra
    $zip = [IO.Compression.ZipFile]::Open($extra, 'Update')
    try { $null = $zip.CreateEntry('NetNs.pdb') } finally { $zip.Dispose() }
    $missing = Join-Path $work 'missing.nupkg'; Copy-Item -LiteralPath $Package $missing
    $zip = [IO.Compression.ZipFile]::Open($missing, 'Update')
    try { $zip.GetEntry('LICENSE').Delete() } finally { $zip.Dispose() }
    $caught = @(Test-NetNsPackageEntry -Path $extra) + @(Test-NetNsPackageEntry -Path $missing)
    Write-Check 'entry check rejects an extra .pdb and a missing LICENSE' (
        $caught -contains 'unexpected entry: NetNs.pdb' -and $caught -contains 'missing entry: LICENSE') ($caught -join '; ')

    # 2. Register, publish, install, all as the throw-away user.
    $installed = $false
    try {
        Invoke-IsolatedPwsh -HomeDirectory $userHome -ArgumentList $repository, (Resolve-Path -LiteralPath $Package).Path -Script @'
Register-PSResourceRepository -Name netns-local -Uri $args[0] -Trusted
Publish-PSResource -NupkgPath $args[1] -Repository netns-local
Install-PSResource NetNs -Repository netns-local -Scope CurrentUser -Quiet
'@ | Out-Host
        $moduleBase = Join-Path $installRoot "NetNs/$version"
        $installed = Test-Path -LiteralPath (Join-Path $moduleBase 'NetNs.psd1')
        $files = @(Get-NetNsModuleFile | Where-Object { -not (Test-Path -LiteralPath (Join-Path $moduleBase $_)) })
        if ($installed) {
            $formats = foreach ($dll in 'NetNs.dll', 'NetNs.Core.dll') { "$dll $(Get-ReadyToRunVersion (Join-Path $moduleBase $dll))" }
            Write-Check 'installed assemblies are ReadyToRun for .NET 10 (format 16 or later)' (
                @($formats | Where-Object { $_ -match ' (\d+)\.\d+$' -and [int]$Matches[1] -ge 16 }).Count -eq 2) ($formats -join ', ')
        }
        Write-Check 'Publish-PSResource and Install-PSResource NetNs -Repository netns-local' ($installed -and -not $files) $(
            if (-not $installed) { "nothing installed at $moduleBase" } elseif ($files) { "installed without $($files -join ', ')" } else { $moduleBase })
    } catch {
        Write-Check 'Publish-PSResource and Install-PSResource NetNs -Repository netns-local' $false "$_"
    }

    # 3. A new pwsh that sees only the installed copy and pwsh's own modules.
    if ($installed) {
        $child = @'
$env:PSModulePath = $args[0] + [IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')
$names = $args[1], $args[2]
function Out-Check($Name, $Ok, $Detail) { [pscustomobject]@{ Name = $Name; Ok = [bool]$Ok; Detail = "$Detail" } | ConvertTo-Json -Compress }
try {
    Import-Module NetNs
    $m = Get-Module NetNs
    Out-Check 'Import-Module NetNs (by name, from the install)' ($m.ModuleBase.StartsWith($args[0])) "$($m.ModuleBase) $($m.Version)"
    Out-Check 'cmdlets' $true ((Get-Command -Module NetNs -CommandType Cmdlet).Name -join ',')
    $help = Get-Help New-NetNamespace -Full
    Out-Check 'help' $true (@($help.Synopsis, @($help.Examples.Example | Where-Object { $_ -and $_.Code }).Count, @($help.Parameters.Parameter | Where-Object { $_.Description }).Count) | ConvertTo-Json -Compress)
} catch { Out-Check 'Import-Module NetNs (by name, from the install)' $false $_ ; exit 1 }
try {
    New-NetNamespace $names | Out-Null
    # The veth ends carry the namespaces' names (both nt-<8 hex>, 11 bytes).
    New-VethPair -Name $names[0] -PeerName $names[1] -Namespace $names[0] -PeerNamespace $names[1] -Up | Out-Null
    Set-NetNsAddress -Namespace $names[0] -InterfaceAlias $names[0] -IPAddress 198.18.77.1/30 | Out-Null
    Set-NetNsAddress -Namespace $names[1] -InterfaceAlias $names[1] -IPAddress 198.18.77.2/30 | Out-Null
    Out-Check 'lab built' $true ((Get-NetNsAddress -Namespace $names[0] -AddressFamily IPv4 | Where-Object IPAddress -eq '198.18.77.1').InterfaceAlias)
    $r = Test-NetNsConnection -Namespace $names[0] -TargetAddress 198.18.77.2
    Out-Check 'Test-NetNsConnection over the lab' ($r.Success) "$($r.Status) $($r.RoundTripTime)"
} catch {
    Out-Check 'lab built' $false $_
} finally {
    Get-NetNamespace | Where-Object Name -in $names | Remove-NetNamespace -Confirm:$false
    Out-Check 'lab removed' (-not (Get-NetNamespace | Where-Object Name -in $names)) ($names -join ', ')
}
'@
        $out = try {
            Invoke-IsolatedPwsh -HomeDirectory $userHome -Script $child -ArgumentList $installRoot, $names[0], $names[1] 2>&1
        } catch { "$_ $($_.ScriptStackTrace)" }
        $results = @{}
        foreach ($line in $out) {
            $text = "$line"
            if ($text.StartsWith('{"Name"')) { $c = $text | ConvertFrom-Json; $results[$c.Name] = $c } else { Write-Host "  | $text" }
        }
        $seen = { param($n) if ($results.ContainsKey($n)) { $results[$n] } else { [pscustomobject]@{ Ok = $false; Detail = 'the new pwsh never got there' } } }

        $r = & $seen 'Import-Module NetNs (by name, from the install)'
        Write-Check 'new pwsh: Import-Module NetNs by name, from the install only' $r.Ok $r.Detail

        $r = & $seen 'cmdlets'
        $listed = if ($r.Ok) { @($r.Detail -split ',') } else { @() }
        $absent = @($manifest.CmdletsToExport | Where-Object { $listed -notcontains $_ })
        $surplus = @($listed | Where-Object { $manifest.CmdletsToExport -notcontains $_ })
        Write-Check 'new pwsh: Get-Command -Module NetNs lists every cmdlet of the manifest' ($r.Ok -and -not $absent -and -not $surplus) $(
            if ($absent -or $surplus) { "missing: $($absent -join ', '); not in the manifest: $($surplus -join ', ')" } else { "$($listed.Count) cmdlets" })

        $r = & $seen 'help'
        $doc = Get-Content -Raw (Join-Path $repo 'docs/New-NetNamespace.md')
        $synopsis = if ($doc -match '(?s)## SYNOPSIS\s*\r?\n(.+?)\r?\n\s*\r?\n') { $Matches[1].Trim() } else { '(no synopsis in docs)' }
        $ok = $false; $detail = $r.Detail
        if ($r.Ok) {
            $h = $r.Detail | ConvertFrom-Json
            $ok = $h[0].Trim() -eq $synopsis -and $h[1] -gt 0 -and $h[2] -gt 0
            $detail = "synopsis '$($h[0].Trim())', $($h[1]) examples, $($h[2]) described parameters"
        }
        Write-Check 'new pwsh: Get-Help New-NetNamespace -Full shows the help from docs/' $ok $detail

        foreach ($step in 'lab built', 'Test-NetNsConnection over the lab', 'lab removed') {
            $r = & $seen $step
            Write-Check "new pwsh: $step" $r.Ok $r.Detail
        }

        # 4. Uninstall, in the same throw-away configuration.
        try {
            Invoke-IsolatedPwsh -HomeDirectory $userHome -Script @'
Uninstall-PSResource NetNs -Scope CurrentUser
Unregister-PSResourceRepository -Name netns-local
'@ | Out-Host
            $left = @(Get-ChildItem -LiteralPath $installRoot -Filter NetNs -ErrorAction SilentlyContinue)
            Write-Check 'Uninstall-PSResource NetNs' (-not $left) $(if ($left) { "still there: $($left.FullName)" })
        } catch {
            Write-Check 'Uninstall-PSResource NetNs' $false "$_"
        }
    }
} finally {
    # Whatever the new pwsh left (it is killed or fails halfway): only this run's two names.
    foreach ($name in $names) {
        if (Test-Path -LiteralPath "/run/netns/$name") { & ip netns delete $name 2>$null; Write-Check "cleanup: $name was left behind" $false }
    }
    Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction SilentlyContinue
    Write-Host "package check took $([Math]::Round($clock.Elapsed.TotalSeconds, 1)) s"
    Write-Host "Package: $($script:passed) passed, $($script:failed) failed"
}
exit $(if ($script:failed -or $script:passed -eq 0) { 1 } else { 0 })
