#Requires -Version 7.4
<#
.SYNOPSIS
    Lab 1: two network namespaces joined by a veth pair, with an address on each end, reachable across.
.DESCRIPTION
    Creates PREFIX-red and PREFIX-blue, a veth pair between them (veth-red in red, veth-blue in blue),
    gives them 198.18.0.1/24 and 198.18.0.2/24, tests that red reaches blue, and removes everything unless -Keep.
    The iproute2 equivalent:
        ip netns add red; ip netns add blue
        ip -n red link add veth-red type veth peer name veth-blue netns blue
        ip -n red addr add 198.18.0.1/24 dev veth-red; ip -n red link set veth-red up   (and the same in blue)
        ip netns exec red ping -c 1 198.18.0.2
    Needs root (or CAP_SYS_ADMIN and CAP_NET_ADMIN). The root namespace is not touched.
.EXAMPLE
    sudo pwsh ./examples/veth-pair.ps1
.EXAMPLE
    sudo pwsh ./examples/veth-pair.ps1 -Prefix mylab -Keep    # leave mylab-red and mylab-blue for exploring
#>
[CmdletBinding()]
param(
    # Prefix of the namespace names; unique by default so the lab cannot clash with anything.
    [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$')]
    [string]$Prefix = 'lab-' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(2)).ToLowerInvariant(),
    # Leave the namespaces in place (remove them later with Remove-NetNamespace).
    [switch]$Keep
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module NetNs)) { Import-Module (Join-Path $PSScriptRoot '../out/NetNs/NetNs.psd1') }

$red = "$Prefix-red"
$blue = "$Prefix-blue"
$created = [System.Collections.Generic.List[string]]::new()
try {
    New-NetNamespace -Name $red, $blue | ForEach-Object { $created.Add($_.Name); $_ } | Format-Table -AutoSize | Out-Host

    New-VethPair -Name veth-red -PeerName veth-blue -Namespace $red -PeerNamespace $blue -Up | Format-Table -AutoSize | Out-Host
    Set-NetNsAddress -Namespace $red -InterfaceAlias veth-red -IPAddress 198.18.0.1/24
    Set-NetNsAddress -Namespace $blue -InterfaceAlias veth-blue -IPAddress 198.18.0.2/24
    Set-NetNsLink -Name lo -Namespace $red -Up
    Set-NetNsLink -Name lo -Namespace $blue -Up

    Get-NetNamespace -Name $red, $blue | Get-NetNsLink | Format-Table -AutoSize | Out-Host
    Get-NetNamespace -Name $red, $blue | Get-NetNsAddress -AddressFamily IPv4 | Format-Table -AutoSize | Out-Host

    # An in-process ping from inside red: `ip netns exec red ping -c 2 198.18.0.2` without the ping binary.
    $r = Test-NetNsConnection -Namespace $red -TargetAddress 198.18.0.2 -Count 2
    $r | Format-Table | Out-Host
    if (-not $r.Success) { throw "$red did not reach 198.18.0.2: $($r.Status)" }
}
finally {
    if ($Keep) {
        Write-Host "Kept: $($created -join ', '). Remove with: Remove-NetNamespace $($created -join ', ')"
    }
    elseif ($created.Count) {
        Remove-NetNamespace -Name $created -Confirm:$false -ErrorAction Continue
    }
}
