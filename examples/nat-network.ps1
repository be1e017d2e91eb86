#Requires -Version 7.4
<#
.SYNOPSIS
    The tutorial's last lab: namespaces behind a bridge with a gateway, forwarding and NAT, built with New-NetNsNetwork.
.DESCRIPTION
    PREFIX-red, PREFIX-blue (198.18.10.x/24) -- bridge lab in PREFIX-router (198.18.10.1 | wan0 198.18.11.1) -- PREFIX-wan (198.18.11.10).
    New-NetNsNetwork makes the bridge, its gateway address, net.ipv4.ip_forward=1 and, with -Nat, the masquerade rule out
    of wan0, all inside the router (in NetNs's own nftables table); Connect-NetNsNetwork joins each client with eth0, the
    next free address and a default route. wan has no route back to 198.18.10.0/24, so red reaching it proves NAT works.
    A port-forward (Add-NetNsNatRule -PortForward) then maps router:8080 to blue:80. The iptables equivalent, inside the router:
        ip link add lab type bridge; ip addr add 198.18.10.1/24 dev lab; ip link set lab up
        sysctl -w net.ipv4.ip_forward=1
        iptables -t nat -A POSTROUTING -s 198.18.10.0/24 -o wan0 -j MASQUERADE; iptables -A FORWARD -i lab -j ACCEPT
        iptables -t nat -A PREROUTING -i wan0 -p tcp --dport 8080 -j DNAT --to-destination 198.18.10.3:80
    Needs root (or CAP_SYS_ADMIN and CAP_NET_ADMIN) and libnftables1. The root namespace is not touched.
.EXAMPLE
    sudo pwsh ./examples/nat-network.ps1
#>
[CmdletBinding()]
param(
    # Prefix of the namespace names; unique by default so the lab cannot clash with anything.
    [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$')]
    [string]$Prefix = 'lab-' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(2)).ToLowerInvariant(),
    # Leave the lab in place (remove it later with Remove-NetNsNetwork and Remove-NetNamespace).
    [switch]$Keep
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module NetNs)) { Import-Module (Join-Path $PSScriptRoot '../out/NetNs/NetNs.psd1') }

$router, $wan, $red, $blue = 'router', 'wan', 'red', 'blue' | ForEach-Object { "$Prefix-$_" }
$created = [System.Collections.Generic.List[string]]::new()
try {
    New-NetNamespace -Name $router, $wan, $red, $blue | ForEach-Object { $created.Add($_.Name) }

    # the outside: wan on the router's uplink, with no route back to the lab
    New-VethPair -Name wan0 -PeerName eth0 -Namespace $router -PeerNamespace $wan -Up | Out-Null
    Set-NetNsAddress -Namespace $router -InterfaceAlias wan0 -IPAddress 198.18.11.1/24
    Set-NetNsAddress -Namespace $wan -InterfaceAlias eth0 -IPAddress 198.18.11.10/24

    # the lab network, and two clients on it
    New-NetNsNetwork -Name lab -Subnet 198.18.10.0/24 -Namespace $router -Nat -Uplink wan0 | Out-Null
    $red, $blue | Connect-NetNsNetwork -Network lab -NetworkNamespace $router | Format-Table -AutoSize | Out-Host
    Get-NetNsNetwork -Namespace $router | Format-Table -AutoSize | Out-Host

    # a port on the router forwarded to blue
    Add-NetNsNatRule -Namespace $router -PortForward -Protocol tcp -Port 8080 -ToAddress 198.18.10.3 -ToPort 80 -InputInterface wan0
    Get-NetNsNatRule -Namespace $router | Format-Table -AutoSize | Out-Host

    $r = Test-NetNsConnection -Namespace $red -TargetAddress 198.18.10.3, 198.18.10.1, 198.18.11.10 -Count 2
    $r | Format-Table | Out-Host
    if ($r.Success -contains $false) { throw "red did not reach every target: $(($r | Where-Object { -not $_.Success }).RemoteAddress -join ', ')" }
}
finally {
    if ($Keep) {
        Write-Host "Kept. Remove with: Remove-NetNsNetwork $router lab; Remove-NetNamespace $($created -join ', ')"
    }
    elseif ($created.Count) {
        if ($created -contains $router) { Remove-NetNsNetwork -Namespace $router -Name lab -Confirm:$false -ErrorAction Continue }
        Remove-NetNamespace -Name $created -Confirm:$false -ErrorAction Continue
    }
}
