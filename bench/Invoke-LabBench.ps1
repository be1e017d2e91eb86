#Requires -Version 7.4
<#
.SYNOPSIS
    Deploy-NetNsLab on the standard topology (bench/README.md) from a warm pwsh, against NetNs.Core's own
    sequential variant and `ip -batch`, in the same run. Run by hand, as root: not a test.
.DESCRIPTION
    The standard topology as a lab definition: N nodes h0..h(N-1) on one network "lan" (198.18.0.0/15, its bridge
    in a namespace of its own), h0 the gateway (first address), every other node a default route via it: N + 1
    namespaces, one bridge, N veths, N addresses, N - 1 routes, as the core variant makes (whose gateway address
    is on the bridge instead). Each round times, interleaved: the lab's deploy, converging the unchanged lab
    (Deploy-NetNsLab again), Remove-NetNsLab; the core variant (NetNs.Core calls from this pwsh, sequential, as
    bench/NetNs.Bench/CoreVariant.cs) build and teardown; `ip -batch` (N + 3 processes, as IpBatchVariant) build
    and teardown. Prints medians and the ratios against the targets of issue 12: deploy <= 1.2x the core
    variant, converge unchanged <= 10% of deploy, remove at the core's teardown speed.
.EXAMPLE
    sudo dotnet tool run pwsh -NoProfile -File bench/Invoke-LabBench.ps1 -N 200 -Repeat 3
#>
[CmdletBinding()]
param(
    [ValidateRange(2, 5000)][int]$N = 200,
    [ValidateRange(1, 20)][int]$Repeat = 3,
    [string]$ModulePath = (Join-Path $PSScriptRoot '../out/NetNs/NetNs.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$run = 'nb' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(2)).ToLowerInvariant()

function New-LabDefinition([string]$Name, [int]$Count) {
    $nodes = [ordered]@{}
    $members = for ($i = 0; $i -lt $Count; $i++) { $nodes["h$i"] = @{}; "h$i" }
    @{ Name = $Name; Nodes = $nodes; Networks = @{ lan = @{ Subnet = '198.18.0.0/15'; Members = $members; Gateway = 'h0' } } }
}
function Get-Address([int]$i) { $b = [BitConverter]::GetBytes([uint32](3323068416 + $i + 2)); [array]::Reverse($b); [ipaddress]::new($b).ToString() }

function Invoke-CoreVariant([string]$Tag, [int]$Count) {
    $br = "${Tag}br"
    $names = @($br) + @(0..($Count - 1) | ForEach-Object { "$Tag$_" })
    $clock = [Diagnostics.Stopwatch]::StartNew()
    foreach ($ns in $names) { [void][NetNs.Core.NamedNamespaces]::Create($ns) }
    $brNs = [NetNs.Core.NamespaceHandle]::OpenName($br)
    $h = [NetNs.Core.NetlinkHandle]::Open($brNs, $false)
    [void]$h.CreateLink([NetNs.Core.LinkSpec]@{ Name = 'br0'; Kind = 'Bridge' })
    $default = [NetNs.Core.IPPrefix]::Parse('0.0.0.0/0', 'IPv4')
    $gw = [ipaddress]'198.18.0.1'
    for ($i = 0; $i -lt $Count; $i++) {
        $ns = [NetNs.Core.NamespaceHandle]::OpenName("$Tag$i")
        $nh = [NetNs.Core.NetlinkHandle]::Open($ns, $false)
        [void]$h.CreateVeth([NetNs.Core.VethSpec]@{ Name = "v$i"; PeerName = 'eth0'; PeerNamespace = $ns })
        $h.SetMaster("v$i", 'br0'); $h.SetLinkState("v$i", $true)
        $nh.SetLinkState('lo', $true)
        [void]$nh.AddAddress('eth0', [NetNs.Core.IPPrefix]::Parse("$(Get-Address $i)/15", 'IPv4'), $null)
        $nh.SetLinkState('eth0', $true)
        $nh.AddRoute([NetNs.Core.RouteSpec]@{ Destination = $default; Gateway = $gw })
        $nh.Dispose(); $ns.Dispose()
    }
    [void]$h.AddAddress('br0', [NetNs.Core.IPPrefix]::Parse('198.18.0.1/15', 'IPv4'), $null)
    $h.SetLinkState('br0', $true)
    $h.Dispose(); $brNs.Dispose()
    $build = $clock.Elapsed.TotalMilliseconds
    $clock.Restart()
    foreach ($ns in $names) { [NetNs.Core.NamedNamespaces]::Delete($ns) }
    @{ Build = $build; Teardown = $clock.Elapsed.TotalMilliseconds }
}

function Invoke-IpBatch([string]$Tag, [int]$Count) {
    $dir = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "netns-labbench-$Tag")).FullName
    try {
        $br = "${Tag}br"
        $names = @($br) + @(0..($Count - 1) | ForEach-Object { "$Tag$_" })
        Set-Content "$dir/add" ($names | ForEach-Object { "netns add $_" })
        $brLines = @('link add br0 type bridge')
        for ($i = 0; $i -lt $Count; $i++) { $brLines += "link add v$i type veth peer name eth0 netns $Tag$i"; $brLines += "link set v$i master br0 up" }
        $brLines += 'addr add 198.18.0.1/15 dev br0'; $brLines += 'link set br0 up'
        Set-Content "$dir/br" $brLines
        for ($i = 0; $i -lt $Count; $i++) {
            Set-Content "$dir/n$i" @('link set lo up', "addr add $(Get-Address $i)/15 dev eth0", 'link set eth0 up', 'route add default via 198.18.0.1')
        }
        Set-Content "$dir/del" ($names | ForEach-Object { "netns del $_" })
        $clock = [Diagnostics.Stopwatch]::StartNew()
        & ip -batch "$dir/add"; & ip -n $br -batch "$dir/br"
        for ($i = 0; $i -lt $Count; $i++) { & ip -n "$Tag$i" -batch "$dir/n$i" }
        $build = $clock.Elapsed.TotalMilliseconds
        $clock.Restart()
        & ip -batch "$dir/del"
        @{ Build = $build; Teardown = $clock.Elapsed.TotalMilliseconds }
    }
    finally { Remove-Item -Recurse -Force $dir }
}

# Waits until the CPUs were <= 5 % busy for 3 x 100 ms in a row (at most 10 s): the kernel's work after a deploy
# (linkwatch, which holds the RTNL lock the dumps need) then no longer lands in what is timed next.
function Wait-Settled {
    $deadline = [DateTime]::UtcNow.AddSeconds(10); $quiet = 0
    $read = { $f = ((Get-Content /proc/stat -TotalCount 1) -split '\s+')[1..8] | ForEach-Object { [long]$_ }; @(($f | Measure-Object -Sum).Sum, ($f[3] + $f[4])) }
    $before = & $read
    while ($quiet -lt 3 -and [DateTime]::UtcNow -lt $deadline) {
        Start-Sleep -Milliseconds 100
        $now = & $read
        $total = $now[0] - $before[0]; $idle = $now[1] - $before[1]; $before = $now
        if ($total -gt 0 -and ($total - $idle) / $total -le 0.05) { $quiet++ } else { $quiet = 0 }
    }
}

function Invoke-Lab([string]$Name, [int]$Count) {
    $def = New-LabDefinition $Name $Count
    $clock = [Diagnostics.Stopwatch]::StartNew()
    Deploy-NetNsLab -Definition $def | Out-Null
    $deploy = $clock.Elapsed.TotalMilliseconds
    $clock.Restart()
    $changes = @(Deploy-NetNsLab -Definition $def -PassThru | Where-Object { $_ -is [NetNs.Core.LabChange] })
    $converge = $clock.Elapsed.TotalMilliseconds
    if ($changes.Count) { throw "converging the unchanged lab made $($changes.Count) changes" }
    Wait-Settled
    $clock.Restart()
    $changes = @(Deploy-NetNsLab -Definition $def -PassThru | Where-Object { $_ -is [NetNs.Core.LabChange] })
    $settled = $clock.Elapsed.TotalMilliseconds
    if ($changes.Count) { throw "converging the settled unchanged lab made $($changes.Count) changes" }
    $clock.Restart()
    Remove-NetNsLab $Name -Confirm:$false
    @{ Deploy = $deploy; Converge = $converge; Settled = $settled; Removal = $clock.Elapsed.TotalMilliseconds }
}

function Remove-Leftovers { Get-NetNamespace -Name "$run*" | ForEach-Object { Remove-NetNamespace $_.Name -Confirm:$false -ErrorAction SilentlyContinue } }

$median = { param($xs) $s = @($xs | Sort-Object); $s[[int][Math]::Floor(($s.Count - 1) / 2)] }
try {
    # Warm-up, as bench e's: a fresh pwsh runs the lab cmdlets' code at tier 0 (and JIT-compiles it again at tier 1
    # in the background for thousands of calls), so labs of min(N, 200) nodes are deployed, converged and removed
    # until two deploys in a row agree within 10 % (at most 6). Their times are printed: what a fresh pwsh gets.
    $warmN = [Math]::Min($N, 200); $previous = $null; $warm = @()
    for ($w = 0; $w -lt 6; $w++) {
        $lab = Invoke-Lab "${run}w$w" $warmN
        $warm += '{0:0}/{1:0}/{2:0}' -f $lab.Deploy, $lab.Converge, $lab.Removal
        if ($previous -and [Math]::Abs($lab.Deploy - $previous) -le 0.1 * $previous) { break }
        $previous = $lab.Deploy
        Wait-Settled
    }
    "warm-up (N = $warmN, deploy/unchanged/remove ms): $($warm -join ', ')"
    Invoke-CoreVariant "${run}wc-" 4 | Out-Null; Invoke-IpBatch "${run}wb-" 4 | Out-Null
    $rows = for ($r = 0; $r -lt $Repeat; $r++) {
        $lab = Invoke-Lab "${run}l$r" $N
        $core = Invoke-CoreVariant "${run}c$r-" $N
        $batch = Invoke-IpBatch "${run}b$r-" $N
        [pscustomobject]@{ Deploy = $lab.Deploy; Converge = $lab.Converge; Settled = $lab.Settled; Removal = $lab.Removal; CoreBuild = $core.Build; CoreTeardown = $core.Teardown; BatchBuild = $batch.Build; BatchTeardown = $batch.Teardown }
    }
    foreach ($row in $rows) { 'round: deploy {0:0.0}, unchanged {1:0.0} / settled {2:0.0}, remove {3:0.0} | core {4:0.0} / {5:0.0} | ip -batch {6:0.0} / {7:0.0}' -f $row.Deploy, $row.Converge, $row.Settled, $row.Removal, $row.CoreBuild, $row.CoreTeardown, $row.BatchBuild, $row.BatchTeardown }
    $m = @{}
    foreach ($p in 'Deploy', 'Converge', 'Settled', 'Removal', 'CoreBuild', 'CoreTeardown', 'BatchBuild', 'BatchTeardown') { $m[$p] = & $median ($rows.$p) }
    "N = $N, $Repeat round(s), medians (ms), pwsh $($PSVersionTable.PSVersion)"
    '{0,-38} {1,9:0.0}   {2,5:0.00}x ip -batch' -f 'Deploy-NetNsLab (create)', $m.Deploy, ($m.Deploy / $m.BatchBuild)
    '{0,-38} {1,9:0.0}' -f 'Deploy-NetNsLab (unchanged, at once)', $m.Converge
    '{0,-38} {1,9:0.0}' -f 'Deploy-NetNsLab (unchanged, settled)', $m.Settled
    '{0,-38} {1,9:0.0}   {2,5:0.00}x ip -batch' -f 'Remove-NetNsLab', $m.Removal, ($m.Removal / $m.BatchTeardown)
    '{0,-38} {1,9:0.0}   {2,5:0.00}x ip -batch' -f 'NetNs.Core sequential build', $m.CoreBuild, ($m.CoreBuild / $m.BatchBuild)
    '{0,-38} {1,9:0.0}' -f 'NetNs.Core teardown', $m.CoreTeardown
    '{0,-38} {1,9:0.0}' -f 'ip -batch build (anchor)', $m.BatchBuild
    '{0,-38} {1,9:0.0}' -f 'ip -batch teardown', $m.BatchTeardown
    ''
    'targets: deploy {0:0.00}x core (<= 1.2), unchanged {1:0.0}% of deploy at once, {2:0.0}% settled (<= 10%), remove {3:0.00}x core teardown (~1)' -f ($m.Deploy / $m.CoreBuild), (100 * $m.Converge / $m.Deploy), (100 * $m.Settled / $m.Deploy), ($m.Removal / $m.CoreTeardown)
}
finally { Remove-Leftovers }
