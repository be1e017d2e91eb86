#Requires -Version 7.4
<#
.SYNOPSIS
    Per-call cost of Invoke-InNetNamespace (script block and -FilePath) against `ip netns exec NS true`, measured
    in the same run, from the same warm pwsh. Run by hand, as root: not a test.
.DESCRIPTION
    Makes one namespace (nt-<8 hex>), warms each form up, then times -Calls calls of each form, interleaved in
    -Repeat rounds, and prints the median per-call time of each and the ratios to `ip netns exec NS true`.
    Targets (issue 7): script block <= 2x and -FilePath <= 1x the ip netns exec anchor, which is measured two
    ways: called from this pwsh (what a script pays), and in a bash loop (ip's own cost, without pwsh's
    native-command overhead); the target line uses the bash-loop anchor, the stricter one. Removes the namespace.
.EXAMPLE
    sudo dotnet tool run pwsh -NoProfile -File bench/Invoke-Bench.ps1 -Calls 200 -Repeat 5
#>
[CmdletBinding()]
param(
    [ValidateRange(10, 10000)][int]$Calls = 200,
    [ValidateRange(1, 20)][int]$Repeat = 5,
    [string]$ModulePath = (Join-Path $PSScriptRoot '../out/NetNs/NetNs.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$ns = 'nt-' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(4)).ToLowerInvariant()
& ip netns add $ns
if ($LASTEXITCODE -ne 0) { throw "ip netns add $ns failed" }

$forms = [ordered]@{
    'ip netns exec NS true'                = { & ip netns exec $ns true }
    'ip netns exec NS true, bash loop'     = $null   # without pwsh's native-command cost: one bash runs them all
    'Invoke-InNetNamespace NS { }'         = { Invoke-InNetNamespace $ns { } }
    'Invoke-InNetNamespace NS -FilePath true' = { Invoke-InNetNamespace $ns -FilePath true }
}
function Measure-PerCall([scriptblock]$Body, [int]$N) {
    if ($null -eq $Body) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        & bash -c 'for ((i = 0; i < $1; i++)); do ip netns exec "$2" true; done' bench $N $ns
        return $clock.Elapsed.TotalMilliseconds / $N
    }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    for ($i = 0; $i -lt $N; $i++) { & $Body | Out-Null }
    $clock.Elapsed.TotalMilliseconds / $N
}
try {
    foreach ($f in @($forms.Values)) { Measure-PerCall $f 20 | Out-Null }   # warm-up: JIT, the warm namespace host
    $samples = @{}
    foreach ($k in $forms.Keys) { $samples[$k] = [Collections.Generic.List[double]]::new() }
    for ($r = 0; $r -lt $Repeat; $r++) {
        foreach ($k in $forms.Keys) { $samples[$k].Add((Measure-PerCall $forms[$k] $Calls)) }
    }
    $median = { param($xs) $s = @($xs | Sort-Object); $s[[int][Math]::Floor(($s.Count - 1) / 2)] }
    $anchor = & $median $samples['ip netns exec NS true']
    "Invoke-InNetNamespace per call, $Calls calls x $Repeat rounds, pwsh $($PSVersionTable.PSVersion), $(Get-Date -Format s)"
    foreach ($k in $forms.Keys) {
        $m = & $median $samples[$k]
        '{0,-42} median {1,7:0.000} ms/call  {2,5:0.00}x ip netns exec   (rounds: {3})' -f $k, $m, ($m / $anchor), (($samples[$k] | ForEach-Object { $_.ToString('0.000') }) -join ' ')
    }
    $strict = & $median $samples['ip netns exec NS true, bash loop']
    $sb = (& $median $samples['Invoke-InNetNamespace NS { }']) / $strict
    $fp = (& $median $samples['Invoke-InNetNamespace NS -FilePath true']) / $strict
    'target (against the bash-loop anchor): script block <= 2x: {0} ({1:0.00}x); -FilePath <= 1x: {2} ({3:0.00}x)' -f ($(if ($sb -le 2) { 'holds' } else { 'MISSED' })), $sb, ($(if ($fp -le 1) { 'holds' } else { 'MISSED' })), $fp
}
finally {
    & ip netns delete $ns
}
