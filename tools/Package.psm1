# The NetNs package: what goes in it, how it is checked, and PSResourceGet run in a throw-away configuration.
# Used by build.ps1 (the Package task) and tests/package/Test-NetNsPackage.ps1 (the CI install smoke test).

Import-Module (Join-Path $PSScriptRoot 'Pwsh.psm1')

# The module folder as shipped, relative to it: nothing else goes into the package (no .pdb, no deps.json:
# pwsh loads both assemblies without one, no tests or bench files).
$script:ModuleFiles = [string[]]@(
    'NetNs.psd1'
    'NetNs.dll'
    'NetNs.Core.dll'
    'NetNs.Format.ps1xml'
    'en-US/NetNs.dll-Help.xml'
    'en-US/about_NetNs.help.txt'
    'LICENSE'
)

# What NuGet's packer adds around them: the nuspec, the OPC parts and the package's core-properties file.
$script:NuGetEntryPatterns = [string[]]@(
    '^NetNs\.nuspec$'
    '^\[Content_Types\]\.xml$'
    '^_rels/\.rels$'
    '^package/services/metadata/core-properties/[0-9a-f]{32}\.psmdcp$'
)

function Get-NetNsModuleFile {
    <#
    .SYNOPSIS
    The files of the shipped module folder, relative to it ('/' separated).
    #>
    [OutputType([string[]])]
    param()
    $script:ModuleFiles
}

function Get-NupkgEntry {
    <#
    .SYNOPSIS
    The entry names of a .nupkg (a zip), '/' separated, directories left out.
    #>
    [OutputType([string[]])]
    param([Parameter(Mandatory)][string]$Path)
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [IO.Compression.ZipFile]::OpenRead((Resolve-Path -LiteralPath $Path).Path)
    try {
        [string[]]@($zip.Entries | Where-Object { -not $_.FullName.EndsWith('/') } | ForEach-Object { $_.FullName })
    } finally {
        $zip.Dispose()
    }
}

function Test-NetNsPackageEntry {
    <#
    .SYNOPSIS
    Compares a NetNs .nupkg's entries with the shipped file list: returns one line per problem (an entry that
    should not be there, a module file that is missing), nothing when the package holds exactly what it should.
    #>
    [OutputType([string[]])]
    param([Parameter(Mandatory)][string]$Path)
    $entries = Get-NupkgEntry -Path $Path
    $expected = [Collections.Generic.HashSet[string]]::new($script:ModuleFiles, [StringComparer]::Ordinal)
    foreach ($entry in $entries) {
        if ($expected.Contains($entry)) { continue }
        $isNuGet = $false
        foreach ($pattern in $script:NuGetEntryPatterns) { if ($entry -cmatch $pattern) { $isNuGet = $true } }
        if (-not $isNuGet) { "unexpected entry: $entry" }
    }
    foreach ($file in $script:ModuleFiles) {
        if ($entries -cnotcontains $file) { "missing entry: $file" }
    }
    if (@($entries -cmatch '^NetNs\.nuspec$').Count -ne 1) { 'missing entry: NetNs.nuspec' }
}

function Invoke-IsolatedPSResource {
    <#
    .SYNOPSIS
    Runs a script in a child pwsh whose PSResourceGet configuration lives under DataHome, not the user's.
    .DESCRIPTION
    PSResourceGet keeps its repository list in $XDG_DATA_HOME/PSResourceGet/PSResourceRepository.xml and installs
    -Scope CurrentUser modules into $XDG_DATA_HOME/powershell/Modules (.NET's LocalApplicationData on Linux), so a
    child pwsh with XDG_DATA_HOME set to a fresh folder registers, publishes and installs there and leaves the
    user's repository list and modules as they were. The script runs as a file (written into DataHome) with
    ArgumentList as its arguments. Output flows to the pipeline; throws when the child fails.
    #>
    param(
        [Parameter(Mandatory)][string]$DataHome,
        [Parameter(Mandatory)][string]$Script,
        [string[]]$ArgumentList = @()
    )
    $null = New-Item -ItemType Directory -Force -Path $DataHome
    $file = Join-Path $DataHome "step-$([guid]::NewGuid().ToString('n')).ps1"
    Set-Content -LiteralPath $file -Value "`$ErrorActionPreference = 'Stop'`n$Script"
    $saved = $env:XDG_DATA_HOME
    $env:XDG_DATA_HOME = $DataHome
    try {
        Invoke-Pwsh -ArgumentList (@('-NoProfile', '-NonInteractive', '-File', $file) + $ArgumentList)
        if ($LASTEXITCODE -ne 0) { throw "PSResourceGet step failed (exit code $LASTEXITCODE)" }
    } finally {
        $env:XDG_DATA_HOME = $saved
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function Get-NetNsModuleFile, Get-NupkgEntry, Test-NetNsPackageEntry, Invoke-IsolatedPSResource
