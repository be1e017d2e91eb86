# Issue 19: the long-running cmdlets stop promptly on Ctrl+C (StopProcessing cancels the core's work between steps).
# A PowerShell instance runs the cmdlet in this process and is stopped as Ctrl+C stops a pipeline.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
    function New-LabName { 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant() }
    function Remove-LabLeftovers([string]$Name) {
        Get-NetNamespace -Name "$Name-*" | ForEach-Object { Remove-NetNamespace -Name $_.Name -Confirm:$false -ErrorAction SilentlyContinue }
    }
    # Starts $Script (with $Definition bound) in a new PowerShell instance of this runspace's module, stops it after
    # $AfterMs, and returns how long the stop took and the state it ended in.
    function Stop-After([scriptblock]$Script, [hashtable]$Definition, [int]$AfterMs) {
        $ps = [powershell]::Create()
        try {
            [void]$ps.AddScript("Import-Module '$(Get-NetNsModulePath)'").AddStatement().AddScript($Script.ToString()).AddArgument($Definition)
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds $AfterMs
            $running = -not $async.IsCompleted
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            [pscustomobject]@{ WasRunning = $running; StopMs = $clock.ElapsedMilliseconds; State = $ps.InvocationStateInfo.State; Errors = @($ps.Streams.Error) }
        } finally { $ps.Dispose() }
    }
    function New-BigLab([string]$Name, [int]$Count) {
        $nodes = [ordered]@{}; $members = for ($i = 0; $i -lt $Count; $i++) { $nodes["h$i"] = @{}; "h$i" }
        @{ Name = $Name; Nodes = $nodes; Networks = @{ lan = @{ Subnet = '198.18.128.0/17'; Members = $members } } }
    }
}

Describe 'Ctrl+C stops the long-running cmdlets promptly' {
    It 'stops Test-NetNsLab mid-matrix within a second' {
        $name = New-LabName
        try {
            Deploy-NetNsLab -Definition @{ Name = $name; Nodes = @{ a = @{}; b = @{} }; Networks = @{ lan = @{ Subnet = '198.18.127.0/24'; Members = 'a', 'b' } } } | Out-Null
            # a partitioned link: every echo waits its 5 s timeout, so the matrix would take tens of seconds
            Set-NetNsLinkImpairment -Namespace "$name-a" -Name lan -Partition
            $r = Stop-After { param($d) Test-NetNsLab $d.Name -Count 3 -TimeoutSeconds 5 } @{ Name = $name } 500
            $r.WasRunning | Should -BeTrue
            $r.State | Should -Be 'Stopped'
            $r.StopMs | Should -BeLessThan 1500
            $r.Errors | Where-Object FullyQualifiedErrorId -NE 'PipelineStopped' | Should -BeNullOrEmpty
        } finally { Remove-NetNsLab $name -Confirm:$false -ErrorAction SilentlyContinue; Remove-LabLeftovers $name }
    }

    It 'stops Deploy-NetNsLab between steps and undoes what it added' {
        $name = New-LabName
        try {
            $r = Stop-After { param($d) Deploy-NetNsLab -Definition $d } (New-BigLab $name 150) 150
            $r.WasRunning | Should -BeTrue -Because 'a 150-node deploy takes longer than 150 ms'
            $r.State | Should -Be 'Stopped'
            $r.StopMs | Should -BeLessThan 2000
            $r.Errors | Where-Object FullyQualifiedErrorId -NE 'PipelineStopped' | Should -BeNullOrEmpty # (what a stopped Start-Sleep gives too)
            # nothing half-made: the additions were rolled back as after a failed step
            @(Get-NetNamespace -Name "$name-*") | Should -HaveCount 0
        } finally { Remove-LabLeftovers $name }
    }
}
