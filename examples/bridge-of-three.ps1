#Requires -Version 7.4
<#
.SYNOPSIS
    Lab 2: three namespaces on one bridge; the bridge lives in its own namespace.
.DESCRIPTION
    PREFIX-sw holds the bridge br0. Each host PREFIX-h1..h3 gets a veth pair: eth0 in the host, sw-hN in
    the switch namespace, enslaved to br0. Hosts get 198.18.1.1-3/24 and reach each other (Test-NetNsConnection). The iproute2
    equivalent per host:
        ip -n sw link add sw-h1 type veth peer name eth0 netns h1
        ip -n sw link set sw-h1 master br0 up; ip -n h1 addr add 198.18.1.1/24 dev eth0; ip -n h1 link set eth0 up
    Needs root (or CAP_SYS_ADMIN and CAP_NET_ADMIN). The root namespace is not touched.
.EXAMPLE
    sudo pwsh ./examples/bridge-of-three.ps1
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

$sw = "$Prefix-sw"
$hosts = 1..3 | ForEach-Object { "$Prefix-h$_" }
$created = [System.Collections.Generic.List[string]]::new()
try {
    New-NetNamespace -Name (@($sw) + $hosts) | ForEach-Object { $created.Add($_.Name); $_ } | Format-Table -AutoSize | Out-Host
    $hosts | Set-NetNsLink -Name lo -Up   # so each host reaches its own address too

    New-NetNsLink -Name br0 -Kind Bridge -Namespace $sw -Up | Out-Null
    foreach ($i in 1..3) {
        $h = $hosts[$i - 1]
        # The VethPair binds to Add-BridgePort by Name (sw-hN) and Namespace (the switch).
        New-VethPair -Name "sw-h$i" -PeerName eth0 -Namespace $sw -PeerNamespace $h -Up |
            Add-BridgePort -Bridge br0
        Set-NetNsAddress -Namespace $h -InterfaceAlias eth0 -IPAddress "198.18.1.$i/24"
    }

    Get-BridgePort -Namespace $sw | Format-Table -AutoSize | Out-Host
    $hosts | Get-NetNsAddress -AddressFamily IPv4 | Format-Table -AutoSize | Out-Host

    # Every host to every host address, all at once and in-process (no ping binary).
    $results = $hosts | Test-NetNsConnection -TargetAddress 198.18.1.1, 198.18.1.2, 198.18.1.3 -Count 2
    $results | Format-Table | Out-Host
    if ($results.Success -contains $false) { throw 'some hosts did not reach each other over the bridge' }
}
finally {
    if ($Keep) {
        Write-Host "Kept: $($created -join ', '). Remove with: Remove-NetNamespace $($created -join ', ')"
    }
    elseif ($created.Count) {
        Remove-NetNamespace -Name $created -Confirm:$false -ErrorAction Continue
    }
}
