# The NetNs package: what goes in it, how it is checked, and pwsh run as a throw-away user (for PSResourceGet).
# Used by build.ps1 (the Package task) and tests/package/Test-NetNsPackage.ps1 (the CI install smoke test).

Import-Module (Join-Path $PSScriptRoot 'Pwsh.psm1')

# The module folder as shipped, relative to it: nothing else goes into the package (no .pdb, no deps.json:
# pwsh loads both assemblies without one, no tests or bench files).
$script:ModuleFiles = [string[]]@(
    'NetNs.psd1'
    'NetNs.dll'
    'NetNs.Core.dll'
    'NetNs.Format.ps1xml'
    'NetNs.Pester.ps1'
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

function Get-ReadyToRunVersion {
    <#
    .SYNOPSIS
    The ReadyToRun format version of an assembly's native code ('16.0'), or $null for an IL-only assembly.
    .DESCRIPTION
    Reads the READYTORUN_HEADER (signature 'RTR', major and minor version) the CLI header's ManagedNativeHeader
    directory points at. .NET 10 uses format 16.x images; it ignores the 9.x that .NET 8's crossgen writes.
    #>
    [OutputType([string])]
    param([Parameter(Mandatory)][string]$Path)
    $stream = [IO.File]::OpenRead((Resolve-Path -LiteralPath $Path).Path)
    try {
        $pe = [Reflection.PortableExecutable.PEReader]::new($stream, [Reflection.PortableExecutable.PEStreamOptions]::LeaveOpen)
        $directory = $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory
        $offset = 0
        if ($directory.Size -eq 0 -or -not $pe.PEHeaders.TryGetDirectoryOffset($directory, [ref]$offset)) { return $null }
        $stream.Position = $offset
        $reader = [IO.BinaryReader]::new($stream)
        if ($reader.ReadUInt32() -ne 0x00525452) { return $null }
        $major = $reader.ReadUInt16(); $minor = $reader.ReadUInt16()
        "$major.$minor"
    } finally {
        $stream.Dispose()
    }
}

function Invoke-IsolatedPwsh {
    <#
    .SYNOPSIS
    Runs a script in a child pwsh whose home is HomeDirectory: a throw-away user for PSResourceGet.
    .DESCRIPTION
    PSResourceGet keeps its repository list in ~/.local/share/PSResourceGet/PSResourceRepository.xml and installs
    -Scope CurrentUser modules into ~/.local/share/powershell/Modules, from $HOME (it does not follow XDG_DATA_HOME
    for the install path). A child pwsh with HOME set to a fresh folder (and the XDG_* folders unset, so they
    follow it) registers, publishes and installs there, and leaves the user's repository list and modules as they
    were. The script runs as a file (written into HomeDirectory) with ArgumentList as its arguments ($args).
    Output flows to the pipeline; throws when the child fails.
    #>
    param(
        [Parameter(Mandatory)][string]$HomeDirectory,
        [Parameter(Mandatory)][string]$Script,
        [string[]]$ArgumentList = @()
    )
    # .NET answers "" for a special folder that does not exist (and PSResourceGet then writes relative to the
    # current directory): make the XDG folders the child will use.
    $null = New-Item -ItemType Directory -Force -Path (Join-Path $HomeDirectory '.local/share'), (Join-Path $HomeDirectory '.config'), (Join-Path $HomeDirectory '.cache')
    $file = Join-Path $HomeDirectory "step-$([guid]::NewGuid().ToString('n')).ps1"
    Set-Content -LiteralPath $file -Value "`$ErrorActionPreference = 'Stop'`n$Script"
    $names = 'HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME'
    $saved = @{}
    foreach ($n in $names) { $saved[$n] = [Environment]::GetEnvironmentVariable($n) }
    try {
        foreach ($n in $names) { [Environment]::SetEnvironmentVariable($n, $null) }
        $env:HOME = $HomeDirectory
        Invoke-Pwsh -ArgumentList (@('-NoProfile', '-NonInteractive', '-File', $file) + $ArgumentList)
        if ($LASTEXITCODE -ne 0) { throw "the child pwsh ($HomeDirectory) failed with exit code $LASTEXITCODE" }
    } finally {
        foreach ($n in $names) { [Environment]::SetEnvironmentVariable($n, $saved[$n]) }
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function Get-NetNsModuleFile, Get-NupkgEntry, Get-ReadyToRunVersion, Test-NetNsPackageEntry, Invoke-IsolatedPwsh
