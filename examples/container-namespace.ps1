#Requires -Version 7.4
<#
.SYNOPSIS
    Lab 4: look into a running Docker container's network namespace.
.DESCRIPTION
    Finds the container with Get-NetNsContainer (no docker inspect), reports its namespace (Get-NetNamespace
    -ProcessId, like `ip netns identify`), names it PREFIX-CONTAINER under /run/netns (the container piped
    into New-NetNamespace, like `ip netns attach`), lists its links and addresses, and runs a command in it
    with Invoke-InNetNamespace. At the end the name is removed again (unless -Keep); the container keeps
    running and is never changed. Skips with a message when the container is not found or not running.
    Needs root.
.EXAMPLE
    docker run -d --name web1 nginx; sudo pwsh ./examples/container-namespace.ps1 -ContainerName web1
#>
[CmdletBinding()]
param(
    # Name or id of a running Docker container.
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty()]
    [string]$ContainerName = 'web1',
    # Prefix of the namespace name given to the container's namespace; unique by default.
    [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$')]
    [string]$Prefix = 'lab-' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(2)).ToLowerInvariant(),
    # Leave the name under /run/netns (remove it later with Remove-NetNamespace; the container is not affected).
    [switch]$Keep
)

$ErrorActionPreference = 'Stop'

if (-not (Get-Module NetNs)) { Import-Module (Join-Path $PSScriptRoot '../out/NetNs/NetNs.psd1') }

$container = Get-NetNsContainer -Name $ContainerName -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $container) {
    Write-Host "Skipping: no running container '$ContainerName' (start one with: docker run -d --name $ContainerName nginx)"
    return
}

$name = "$Prefix-$ContainerName" -replace '[^A-Za-z0-9_.-]', '_'
$created = [System.Collections.Generic.List[string]]::new()
try {
    Write-Host "Container '$ContainerName' runs as process $($container.ProcessId); its network namespace:"
    Get-NetNamespace -ProcessId $container.ProcessId | Format-Table -AutoSize | Out-Host

    $container | New-NetNamespace -Name $name | ForEach-Object { $created.Add($_.Name); $_ } |
        Format-Table -AutoSize | Out-Host

    Get-NetNsLink -Namespace $name | Format-Table -AutoSize | Out-Host
    Get-NetNsAddress -Namespace $name | Format-Table -AutoSize | Out-Host
    Get-NetNsRoute -Namespace $name -AddressFamily IPv4 | Format-Table -AutoSize | Out-Host

    Write-Host "ip -brief address, run inside ${name}:"
    Invoke-InNetNamespace $name { ip -brief address } | Out-Host
}
finally {
    if ($Keep) {
        Write-Host "Kept the name $name for the container's namespace. Remove with: Remove-NetNamespace $name"
    }
    elseif ($created.Count) {
        # Removes only the name; the namespace lives on with the container.
        Remove-NetNamespace -Name $created -Confirm:$false -ErrorAction Continue
    }
}
