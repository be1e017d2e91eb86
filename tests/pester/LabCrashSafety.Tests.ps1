# Issue 18: a Deploy-NetNsLab killed (SIGKILL) at any moment leaves only what Remove-NetNsLab removes and what the
# next Deploy-NetNsLab adopts or cleans up. A child pwsh deploys a 50-node lab and is killed at six points spread over
# the deploy: while its namespaces are being made (by count) and while its links, addresses and routes are (by time).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
    function New-LabName { 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant() }
    function Get-LabFile([string]$Name) { @(Get-ChildItem -LiteralPath /run/netns -Force -ErrorAction SilentlyContinue | Where-Object Name -like "$Name-*") }
    function Remove-LabLeftovers([string]$Name) {
        foreach ($f in Get-LabFile $Name) { & ip netns delete $f.Name 2>$null; Remove-Item -LiteralPath $f.FullName -Force -ErrorAction SilentlyContinue }
    }
    # The lab: h0..h49 on one network (its bridge in a namespace of its own), h0 the gateway and a router:
    # 51 namespaces, a bridge, 50 veths, 50 addresses, 49 routes, 2 sysctls (IPv4 only: the host's neighbour tables are
    # shared by every namespace, and the reach check must not depend on what else runs). Written as a .json definition that the
    # child and this process deploy alike.
    function New-LabFile([string]$Name) {
        $nodes = [ordered]@{ h0 = @{ Forwarding = $true } }
        for ($i = 1; $i -lt 50; $i++) { $nodes["h$i"] = @{} }
        $def = @{ Name = $Name; Nodes = $nodes; Networks = @{ lan = @{ Subnet = '198.18.60.0/24'; Members = @($nodes.Keys); Gateway = 'h0' } } }
        $file = Join-Path ([IO.Path]::GetTempPath()) "netns-crash-$Name.json"
        Set-Content -LiteralPath $file -Value ($def | ConvertTo-Json -Depth 8)
        $file
    }
    $script:childScript = @'
param([string]$Module, [string]$Path)
$ErrorActionPreference = 'Stop'
Import-Module $Module
[Console]::Out.WriteLine('go'); [Console]::Out.Flush()
$clock = [Diagnostics.Stopwatch]::StartNew()
Deploy-NetNsLab -Path $Path | Out-Null
[Console]::Out.WriteLine("done $([int]$clock.Elapsed.TotalMilliseconds)")
'@
    $script:childFile = Join-Path ([IO.Path]::GetTempPath()) "netns-crash-$PID.ps1"
    Set-Content -LiteralPath $childFile -Value $childScript
    # Started as New-ChildPwshStartInfo starts it, the pid killed is the deploying process itself (the `pwsh` launcher
    # would leave it running).
    function Start-Deploy([string]$Path) {
        $psi = New-ChildPwshStartInfo '-File', $childFile, '-Module', (Get-NetNsModulePath), '-Path', $Path
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $p = [Diagnostics.Process]::Start($psi)
        $line = $p.StandardOutput.ReadLine()
        if ($line -ne 'go') { $p.Kill(); throw "the child did not start: $line $($p.StandardError.ReadToEnd())" }
        $p
    }
    # Reaches: a few nodes' echoes to the gateway.
    function Assert-LabReaches([string]$Name, [int]$Kill) {
        $gw4 = '198.18.60.1'
        foreach ($i in 1, 17, 33, 49) {
            foreach ($target in @($gw4)) {
                # Inconclusive: the host's ARP table (shared with everything else running) overflowed meanwhile; ask again.
                for ($try = 0; $try -lt 15; $try++) {
                    $r = Test-NetNsConnection -Namespace "$Name-h$i" -TargetAddress $target -Count 3 -TimeoutMilliseconds 1000
                    if ($r.Status -ne 'Inconclusive') { break }
                    Start-Sleep -Seconds 1
                }
                $r.Success | Should -BeTrue -Because "h$i reaches the gateway $target after kill $Kill ($($r.Status) $($r.Detail); $(Get-NetNsLink -Namespace "$Name-h$i" | Out-String))"
            }
        }
    }
    function Assert-NothingLeft([string]$Name) {
        Get-LabFile $Name | Should -BeNullOrEmpty
        @(& ip -o -d link show | Where-Object { $_ -match [regex]::Escape($Name) }) | Should -BeNullOrEmpty
        @([IO.File]::ReadLines('/proc/self/mountinfo') | Where-Object { $_ -match "/run/netns/$Name-" }) | Should -BeNullOrEmpty
    }
}

AfterAll { Remove-Item -LiteralPath $childFile -ErrorAction SilentlyContinue }

Describe 'Deploy-NetNsLab killed with SIGKILL mid-way (issue 18)' {
    It 'leaves, at each of six kill points, a lab that Remove-NetNsLab removes whole or Deploy-NetNsLab finishes' {
        $name = New-LabName
        $file = New-LabFile $name
        try {
            # A whole deploy first: when its 51st namespace appears and when it ends (after 'go', in a fresh pwsh), to
            # spread the timed kills over the part after the namespaces: links, addresses, routes, sysctls.
            $p = Start-Deploy $file
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while (-not $p.HasExited -and (Get-LabFile $name).Count -lt 51 -and $clock.ElapsedMilliseconds -lt 30000) { }
            $allMs = $clock.ElapsedMilliseconds
            $done = $p.StandardOutput.ReadLine()
            $p.WaitForExit(60000) | Should -BeTrue
            $done | Should -Match '^done \d+$' -Because $p.StandardError.ReadToEnd()
            $deployMs = [int]($done -split ' ')[1]
            Remove-NetNsLab $name -Confirm:$false
            Assert-NothingLeft $name

            # Three kills while the namespaces are made (after 1, 20 and 45 of 51 exist), three after them, at 20, 50
            # and 80 % of the rest of the measured deploy.
            $points = @(@{ Files = 1 }, @{ Files = 20 }, @{ Files = 45 }, @{ Fraction = 0.2 }, @{ Fraction = 0.5 }, @{ Fraction = 0.8 })
            $seen = foreach ($k in 0..($points.Count - 1)) {
                $point = $points[$k]
                $p = Start-Deploy $file
                $clock = [Diagnostics.Stopwatch]::StartNew()
                if ($point.Files) {
                    while (-not $p.HasExited -and (Get-LabFile $name).Count -lt $point.Files -and $clock.ElapsedMilliseconds -lt 30000) { }
                }
                else {
                    while (-not $p.HasExited -and (Get-LabFile $name).Count -lt 51 -and $clock.ElapsedMilliseconds -lt 30000) { }
                    $until = $clock.ElapsedMilliseconds + [int]([Math]::Max(0, $deployMs - $allMs) * $point.Fraction)
                    while (-not $p.HasExited -and $clock.ElapsedMilliseconds -lt $until) { }
                }
                $missed = $p.HasExited
                $p.Kill() # SIGKILL
                $p.WaitForExit(10000) | Out-Null
                $p.Dispose()
                "kill $k after $($clock.ElapsedMilliseconds) ms: $((Get-LabFile $name).Count) namespaces$(if ($missed) { ' (too late: the deploy had ended)' })"

                if ($k % 2 -eq 0) {
                    # Remove first: it takes everything the killed deploy made; then a fresh deploy reaches.
                    if ((Get-LabFile $name).Count -gt 0) { Remove-NetNsLab $name -Confirm:$false }
                    Assert-NothingLeft $name
                    Deploy-NetNsLab -Path $file | Out-Null
                }
                else {
                    # Deploy straight over the killed one: it adopts or cleans up what it finds, and finishes the lab.
                    Deploy-NetNsLab -Path $file | Out-Null
                }
                (Get-LabFile $name).Count | Should -Be 51
                Assert-LabReaches $name -Kill $k
                Remove-NetNsLab $name -Confirm:$false
                Assert-NothingLeft $name
            }
            Write-Host "deploy in a fresh pwsh: $deployMs ms, its namespaces made by $allMs ms; $($seen -join '; ')"
        }
        finally { Remove-LabLeftovers $name; Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
    }
}
