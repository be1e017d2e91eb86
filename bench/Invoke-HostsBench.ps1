#Requires -Version 7.4
<#
.SYNOPSIS
    A lab across hosts (issue 23) against the same lab on one host, on the test fixture's hosts
    (tests/fixtures/hosts: namespaces with their own /run/netns and sshd, reached over PowerShell remoting/SSH).
    Run by hand, as root: not a test.
.DESCRIPTION
    The standard topology (bench/README.md): N nodes h0..h(N-1) on one network "lan", h0 the gateway. Each round
    times, interleaved: opening the SSH sessions alone (New-PSSession to both hosts and Import-Module NetNs there,
    as Deploy-NetNsLab does); Deploy-NetNsLab of the lab with every node on host a, opening new sessions (hosts
    given other ssh options each round, so no kept session serves); Remove-NetNsLab -Definition of it; the deploy
    again with the sessions kept by those calls; the same three for the lab split over hosts a and b (h0 and every
    even node on a, the odd ones on b: one bridge on each, joined by VXLAN). Then Test-NetNsLab of a TestN-node lab
    on one host and split (the full matrix: TestN * (TestN - 1) echoes), with kept sessions.
    Prints medians and the issue's targets: split deploy <= 1.5x one-host deploy + the sessions alone; split test
    <= 1.5x one-host test.
.EXAMPLE
    sudo dotnet tool run pwsh -NoProfile -File bench/Invoke-HostsBench.ps1 -N 200 -Repeat 3
#>
[CmdletBinding()]
param(
    [ValidateRange(2, 1000)][int]$N = 200,
    [ValidateRange(2, 200)][int]$TestN = 20,
    [ValidateRange(1, 20)][int]$Repeat = 3,
    [string]$ModulePath = (Join-Path $PSScriptRoot '../out/NetNs/NetNs.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot '../tests/fixtures/hosts/NetNsHosts.psm1')
$set = New-TestHostSet -Count 2 -ModuleDirectory (Split-Path (Split-Path (Resolve-Path $ModulePath).Path))
try {
    $hosts = @{ a = $set.Hosts[0].Definition; b = $set.Hosts[1].Definition }
    $run = 'nb' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(2)).ToLowerInvariant()
    # -Cold N: hosts whose ssh options differ (ConnectTimeout 30+N), so no session kept from an earlier call serves them.
    function New-Definition([string]$Name, [int]$Count, [switch]$Split, [int]$Cold = -1) {
        $nodes = [ordered]@{}
        $members = for ($i = 0; $i -lt $Count; $i++) { $nodes["h$i"] = @{ Host = $(if ($Split -and $i % 2) { 'b' } else { 'a' }) }; "h$i" }
        $h = $hosts
        if ($Cold -ge 0) {
            $h = @{}
            foreach ($k in $hosts.Keys) { $c = $hosts[$k].Clone(); $c.Options = $hosts[$k].Options.Clone(); $c.Options.ConnectTimeout = [string](30 + $Cold); $h[$k] = $c }
        }
        @{ Name = $Name; Hosts = $h; Nodes = $nodes; Networks = @{ lan = @{ Subnet = '198.18.0.0/15'; Members = $members; Gateway = 'h0' } } }
    }
    function Measure-Ms([scriptblock]$Block) { $c = [Diagnostics.Stopwatch]::StartNew(); $null = & $Block; $c.Elapsed.TotalMilliseconds }
    $t = @{ Sessions = @(); One = @(); OneRemove = @(); Split = @(); SplitRemove = @(); TestOne = @(); TestSplit = @(); OneWarm = @(); SplitWarm = @() }
    # Warm-up (JIT here and the first remote pwsh start), not counted.
    $warm = New-Definition "${run}w" 2 -Split
    Deploy-NetNsLab -Definition $warm -Confirm:$false | Out-Null; Remove-NetNsLab -Definition $warm -Confirm:$false
    for ($r = 0; $r -lt $Repeat; $r++) {
        $t.Sessions += Measure-Ms {
            $s = foreach ($h in $set.Hosts) { $p = $h.SessionParameters; New-PSSession @p }
            Invoke-Command -Session $s { (Import-Module NetNs -PassThru).Version.ToString() } | Out-Null
            Remove-PSSession $s
        }
        # cold: the deploy opens its sessions (as the issue's target counts them); warm: it reuses the kept ones
        $one = New-Definition "${run}o$r" $N -Cold (2 * $r)
        $t.One += Measure-Ms { Deploy-NetNsLab -Definition $one -Confirm:$false }
        $t.OneRemove += Measure-Ms { Remove-NetNsLab -Definition $one -Confirm:$false }
        $t.OneWarm += Measure-Ms { Deploy-NetNsLab -Definition $one -Confirm:$false }
        Remove-NetNsLab -Definition $one -Confirm:$false
        $split = New-Definition "${run}s$r" $N -Split -Cold (2 * $r + 1)
        $t.Split += Measure-Ms { Deploy-NetNsLab -Definition $split -Confirm:$false }
        $t.SplitRemove += Measure-Ms { Remove-NetNsLab -Definition $split -Confirm:$false }
        $t.SplitWarm += Measure-Ms { Deploy-NetNsLab -Definition $split -Confirm:$false }
        Remove-NetNsLab -Definition $split -Confirm:$false
    }
    $oneT = New-Definition "${run}to" $TestN; $splitT = New-Definition "${run}ts" $TestN -Split
    Deploy-NetNsLab -Definition $oneT -Confirm:$false | Out-Null
    Deploy-NetNsLab -Definition $splitT -Confirm:$false | Out-Null
    try {
        for ($r = 0; $r -lt $Repeat; $r++) {
            $bad = 0
            $t.TestOne += Measure-Ms { $bad += @(Test-NetNsLab -Definition $oneT | Where-Object { -not $_.Success }).Count }
            $t.TestSplit += Measure-Ms { $bad += @(Test-NetNsLab -Definition $splitT | Where-Object { -not $_.Success }).Count }
            if ($bad) { Write-Warning "$bad pairs failed in round $r" }
        }
    }
    finally {
        Remove-NetNsLab -Definition $oneT -Confirm:$false; Remove-NetNsLab -Definition $splitT -Confirm:$false
    }
    function Median([double[]]$v) { $s = $v | Sort-Object; if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
    $m = @{}; foreach ($k in $t.Keys) { $m[$k] = Median $t[$k] }
    "N = $N, $Repeat rounds (medians); Test-NetNsLab on $TestN nodes ($($TestN * ($TestN - 1)) pairs)"
    '{0,-44} {1,9:0} ms' -f 'SSH sessions alone (2 hosts, Import-Module)', $m.Sessions
    '{0,-44} {1,9:0} ms' -f 'Deploy, all nodes on host a (new sessions)', $m.One
    '{0,-44} {1,9:0} ms  ({2:0.00}x one host + sessions; target <= 1.5)' -f 'Deploy, split over a and b (new sessions)', $m.Split, ($m.Split / ($m.One + $m.Sessions))
    '{0,-44} {1,9:0} ms' -f 'Deploy again, one host (kept sessions)', $m.OneWarm
    '{0,-44} {1,9:0} ms  ({2:0.00}x one host)' -f 'Deploy again, split (kept sessions)', $m.SplitWarm, ($m.SplitWarm / $m.OneWarm)
    '{0,-44} {1,9:0} ms' -f 'Remove, one host', $m.OneRemove
    '{0,-44} {1,9:0} ms' -f 'Remove, split', $m.SplitRemove
    '{0,-44} {1,9:0} ms' -f 'Test-NetNsLab, one host', $m.TestOne
    '{0,-44} {1,9:0} ms  ({2:0.00}x one host; target <= 1.5)' -f 'Test-NetNsLab, split', $m.TestSplit, ($m.TestSplit / $m.TestOne)
}
finally {
    Remove-TestHostSet $set
}
