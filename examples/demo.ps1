#Requires -Version 7.4
<#
.SYNOPSIS
    The NetNs demo: a bridge of three plus a router to a second network, shown as tables, tested across,
    and torn down again.
.DESCRIPTION
    Topology (all namespaces are PREFIX-*; the root namespace is not touched):

        h1 198.18.1.11 --+
        h2 198.18.1.12 --+-- br0 (in sw) --+-- r1 198.18.1.1 | 198.18.2.1 -- h3 198.18.2.10
                                                     (ip_forward=1)

    h1 and h2 reach each other over the bridge, and h3 through the router r1 (default gateways set with
    Set-NetNsAddress -DefaultGateway). Needs root (or CAP_SYS_ADMIN and CAP_NET_ADMIN).
.EXAMPLE
    sudo pwsh ./examples/demo.ps1
.EXAMPLE
    sudo pwsh ./examples/demo.ps1 -Keep    # explore afterwards: ip netns list; Get-NetNamespace lab-*
#>
[CmdletBinding()]
param(
    # Prefix of the namespace names; unique by default so the lab cannot clash with anything.
    [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$')]
    [string]$Prefix = 'lab-' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(2)).ToLowerInvariant(),
    # Leave the lab in place (remove it later with Remove-NetNamespace).
    [switch]$Keep
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module NetNs)) { Import-Module (Join-Path $PSScriptRoot '../out/NetNs/NetNs.psd1') }

function Show([string]$Title) {
    process { $items += @($_) }
    begin { $items = @() }
    end {
        Write-Host "`n== $Title" -ForegroundColor Cyan
        $items | Format-Table -AutoSize | Out-Host
    }
}

$ns = @{}
foreach ($n in 'sw', 'h1', 'h2', 'r1', 'h3') { $ns[$n] = "$Prefix-$n" }
$created = [System.Collections.Generic.List[string]]::new()
try {
    'sw', 'h1', 'h2', 'r1', 'h3' | ForEach-Object { $ns[$_] } | New-NetNamespace |
        ForEach-Object { $created.Add($_.Name); $_ } | Show 'Namespaces'
    # A new namespace's loopback is down (as after ip netns add): bring it up, so a host reaches its own address.
    $created | Set-NetNsLink -Name lo -Up

    # The switch: a bridge inside its own namespace, with h1, h2 and the router's LAN leg plugged in.
    New-NetNsLink -Name br0 -Kind Bridge -Namespace $ns.sw -Up | Out-Null
    $ports = foreach ($n in 'h1', 'h2', 'r1') {
        New-VethPair -Name "sw-$n" -PeerName eth0 -Namespace $ns.sw -PeerNamespace $ns[$n] -Up |
            Add-BridgePort -Bridge br0 -PassThru
    }
    $ports | Show 'Bridge ports'

    # The router's second leg, straight to h3.
    New-VethPair -Name eth1 -PeerName eth0 -Namespace $ns.r1 -PeerNamespace $ns.h3 -Up | Show 'Router to h3'

    Set-NetNsAddress -Namespace $ns.r1 -InterfaceAlias eth0 -IPAddress 198.18.1.1/24
    Set-NetNsAddress -Namespace $ns.r1 -InterfaceAlias eth1 -IPAddress 198.18.2.1/24
    Set-NetNsSysctl -Namespace $ns.r1 -Key net.ipv4.ip_forward -Value 1
    Set-NetNsAddress -Namespace $ns.h1 -InterfaceAlias eth0 -IPAddress 198.18.1.11/24 -DefaultGateway 198.18.1.1
    Set-NetNsAddress -Namespace $ns.h2 -InterfaceAlias eth0 -IPAddress 198.18.1.12/24 -DefaultGateway 198.18.1.1
    Set-NetNsAddress -Namespace $ns.h3 -InterfaceAlias eth0 -IPAddress 198.18.2.10/24 -DefaultGateway 198.18.2.1

    $created | Get-NetNsLink -Kind veth, bridge | Show 'Links'
    $created | Get-NetNsAddress -AddressFamily IPv4 | Show 'Addresses'
    $created | Get-NetNsRoute -AddressFamily IPv4 | Show 'Routes'

    # Every host to every host and the router, all at once, in-process (no ping binary): h1 and h2 over the
    # bridge, h3 through the router.
    $hosts = 'h1', 'h2', 'h3' | ForEach-Object { $ns[$_] }
    $results = $hosts | Test-NetNsConnection -TargetAddress 198.18.1.1, 198.18.1.11, 198.18.1.12, 198.18.2.10 -Count 2
    $results | Show 'Reachability'
    $failed = @($results | Where-Object { -not $_.Success })
    if ($failed) { throw "not reached: $(($failed | ForEach-Object { "$($_.Namespace) -> $($_.RemoteAddress) ($($_.Status))" }) -join ', ')" }
}
finally {
    if ($Keep) {
        Write-Host "Kept: $($created -join ', '). Remove with: Remove-NetNamespace $($created -join ', ')"
    }
    elseif ($created.Count) {
        Remove-NetNamespace -Name $created -Confirm:$false -ErrorAction Continue
        Write-Host "`nRemoved $($created.Count) namespaces."
    }
}

# The same kind of lab, declared: examples/labs/demo.psd1 (a LAN behind a router, a server on an uplink, IPv4 and
# IPv6) deployed in one bulk operation, its reachability matrix tested, drawn as Mermaid, and removed again, also
# when something in the block fails.
$labName = 'demo' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(2)).ToLowerInvariant()
Use-NetNsLab -Path (Join-Path $PSScriptRoot 'labs/demo.psd1') -Name $labName {
    $_ | Show "Declared lab $($_.Name) (examples/labs/demo.psd1)"
    $matrix = Test-NetNsLab $_.Name
    $matrix | Show 'Reachability matrix'
    $failed = @($matrix | Where-Object { -not $_.Success })
    if ($failed) { throw "not reached: $(($failed | ForEach-Object { "$($_.From) -> $($_.Address)" }) -join ', ')" }
    Write-Host "`n== ConvertTo-NetNsLab -Format Mermaid" -ForegroundColor Cyan
    ConvertTo-NetNsLab $_.Name -Format Mermaid | Out-Host
}
Write-Host "`nRemoved lab $labName."
