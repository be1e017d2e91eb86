#Requires -Version 7.4
<#
.SYNOPSIS
    Lab 3: two networks joined by a router namespace with forwarding on and default gateways on the hosts.
.DESCRIPTION
    PREFIX-h1 (198.18.1.10/24) -- PREFIX-r1 (198.18.1.1/24 | 198.18.2.1/24) -- PREFIX-h2 (198.18.2.10/24).
    Forwarding is switched on inside r1 only (Set-NetNsSysctl); each host's default route points at r1
    (Set-NetNsAddress -DefaultGateway). h1 then reaches h2 across the router (Test-NetNsConnection, an in-process ping). The iproute2 equivalent:
        ip netns exec r1 sysctl -w net.ipv4.ip_forward=1
        ip -n h1 addr add 198.18.1.10/24 dev h1-eth0; ip -n h1 route add default via 198.18.1.1
    With -Nat, h2 gets no route back to h1's network and r1 masquerades what leaves r1-eth1 instead
    (Add-NetNsNatRule, a rule in NetNs's own nftables table inside r1; `iptables -t nat -A POSTROUTING -o r1-eth1 -j MASQUERADE`).
    The whole NAT lab with a bridge and clients in one call each: examples/nat-network.ps1 (New-NetNsNetwork).
    Needs root (or CAP_SYS_ADMIN and CAP_NET_ADMIN), and libnftables1 for -Nat. The root namespace is not touched.
.EXAMPLE
    sudo pwsh ./examples/router.ps1 -Nat
#>
[CmdletBinding()]
param(
    # Prefix of the namespace names; unique by default so the lab cannot clash with anything.
    [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$')]
    [string]$Prefix = 'lab-' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(2)).ToLowerInvariant(),
    # Leave the namespaces in place (remove them later with Remove-NetNamespace).
    [switch]$Keep,
    # Masquerade out of r1-eth1 instead of giving h2 a route back.
    [switch]$Nat
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module NetNs)) { Import-Module (Join-Path $PSScriptRoot '../out/NetNs/NetNs.psd1') }

$h1 = "$Prefix-h1"
$r1 = "$Prefix-r1"
$h2 = "$Prefix-h2"
$created = [System.Collections.Generic.List[string]]::new()
try {
    New-NetNamespace -Name $h1, $r1, $h2 | ForEach-Object { $created.Add($_.Name); $_ } | Format-Table -AutoSize | Out-Host

    New-VethPair -Name h1-eth0 -PeerName r1-eth0 -Namespace $h1 -PeerNamespace $r1 -Up | Out-Null
    New-VethPair -Name h2-eth0 -PeerName r1-eth1 -Namespace $h2 -PeerNamespace $r1 -Up | Out-Null

    Set-NetNsAddress -Namespace $r1 -InterfaceAlias r1-eth0 -IPAddress 198.18.1.1/24
    Set-NetNsAddress -Namespace $r1 -InterfaceAlias r1-eth1 -IPAddress 198.18.2.1/24
    Set-NetNsSysctl -Namespace $r1 -Key net.ipv4.ip_forward -Value 1 -PassThru |
        ForEach-Object { Write-Host "net.ipv4.ip_forward in ${r1}: $_" }

    Set-NetNsAddress -Namespace $h1 -InterfaceAlias h1-eth0 -IPAddress 198.18.1.10/24 -DefaultGateway 198.18.1.1
    if ($Nat) {
        # h2 knows only its own network; r1 masquerades h1's packets as 198.18.2.1
        Set-NetNsAddress -Namespace $h2 -InterfaceAlias h2-eth0 -IPAddress 198.18.2.10/24
        Add-NetNsNatRule -Namespace $r1 -Masquerade -SourcePrefix 198.18.1.0/24 -OutputInterface r1-eth1 -PassThru |
            Format-Table -AutoSize | Out-Host
    }
    else {
        Set-NetNsAddress -Namespace $h2 -InterfaceAlias h2-eth0 -IPAddress 198.18.2.10/24 -DefaultGateway 198.18.2.1
    }

    $created | Get-NetNsRoute -AddressFamily IPv4 | Format-Table -AutoSize | Out-Host

    $r = Test-NetNsConnection -Namespace $h1 -TargetAddress 198.18.2.10 -Count 2
    $r | Format-Table | Out-Host
    if (-not $r.Success) { throw "$h1 did not reach 198.18.2.10 through ${r1}: $($r.Status)" }
}
finally {
    if ($Keep) {
        Write-Host "Kept: $($created -join ', '). Remove with: Remove-NetNamespace $($created -join ', ')"
    }
    elseif ($created.Count) {
        Remove-NetNamespace -Name $created -Confirm:$false -ErrorAction Continue
    }
}
