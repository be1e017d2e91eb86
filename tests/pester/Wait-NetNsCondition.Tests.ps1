BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

# Two namespaces joined by a veth: w0 in A (198.18.83.1/30), w1 in B (.2). Listeners are started later, inside B, by a
# thread job holding a socket made there (NamespaceSockets), so the wait has something to wait for.
Describe 'Wait-NetNsCondition' {
    BeforeAll {
        $script:a, $script:b = New-TestNamespace -Count 2
        & ip -n $script:a link add w0 type veth peer name w1 netns $script:b
        & ip -n $script:a addr add 198.18.83.1/30 dev w0
        & ip -n $script:b addr add 198.18.83.2/30 dev w1
        & ip -n $script:a link set w0 up
        & ip -n $script:b link set w1 up
        & ip -n $script:b link set lo up
        # Listens on TCP PORT inside NS after DELAY ms, for HOLD ms, then closes.
        function script:Start-LaterListener([string]$Ns, [int]$Port, [int]$Delay, [int]$Hold = 4000) {
            Start-ThreadJob -ArgumentList $Ns, $Port, $Delay, $Hold {
                param($ns, $port, $delay, $hold)
                $h = [NetNs.Core.NamespaceHandle]::OpenName($ns)
                $s = [NetNs.Core.NamespaceSockets]::Open($h, 'InterNetwork', 'Stream', 'Tcp')
                try {
                    Start-Sleep -Milliseconds $delay
                    $s.Bind([Net.IPEndPoint]::new([ipaddress]::Any, $port))
                    $s.Listen(4)
                    Start-Sleep -Milliseconds $hold
                } finally { $s.Dispose(); $h.Dispose() }
            }
        }
    }
    AfterAll { Remove-TestNamespace -Name $script:a, $script:b }

    It 'returns nothing once a TCP port started later accepts, after it started' {
        $job = Start-LaterListener $script:b 18101 800
        try {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $out = Wait-NetNsCondition $script:a -Address 198.18.83.2 -Port 18101 -Timeout 00:00:05
            $sw.Elapsed.TotalSeconds | Should -BeGreaterThan 0.7
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 4
            $out | Should -BeNullOrEmpty
        }
        finally { $job | Remove-Job -Force }
    }

    It 'waits inside the namespace for something to listen (-Listening), and -PassThru tells how it ended' {
        $job = Start-LaterListener $script:b 18102 600
        try {
            $r = Wait-NetNsCondition $script:b -Listening -Port 18102 -Interval 100ms -PassThru
            $r.Met | Should -BeTrue
            $r.Status | Should -Be 'Listening'
            $r.Condition | Should -Be 'something to listen on tcp port 18102'
            $r.Elapsed.TotalSeconds | Should -BeGreaterThan 0.5
            $r.Probes | Should -BeGreaterThan 3
            $r.LastResult.Port | Should -Be 18102
            $table = $r | Format-Table | Out-String -Width 80
            $table | Should -Match "$($script:b)\s+something to listen on tcp port 18102\s+Listening\s+\d+\.\d\d"
            ($table -split "`n" | Where-Object { $_.TrimEnd().Length -gt 80 }) | Should -BeNullOrEmpty
        }
        finally { $job | Remove-Job -Force }
    }

    It 'waits for an address to answer an echo, and for a link to come up' {
        Wait-NetNsCondition $script:a 198.18.83.2 -Timeout 00:00:03 | Should -BeNullOrEmpty
        & ip -n $script:a link set w0 down
        $ns = $script:a
        $up = Start-ThreadJob { param($ns) Start-Sleep -Milliseconds 500; & ip -n $ns link set w0 up } -ArgumentList $ns
        try {
            $r = Wait-NetNsCondition -Namespace $script:a -LinkUp w0 -PassThru
            $r.Status | Should -Be 'Up'
            $r.LastResult.OperationalState | Should -Be 'UP'
        }
        finally { $up | Receive-Job -Wait -AutoRemoveJob }
    }

    It 'stops at -Timeout with a terminating ConditionTimeout error saying what was awaited and the last status' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $err = { Wait-NetNsCondition $script:a -Address 198.18.83.2 -Port 18109 -Timeout 1s; 'not reached' } |
            Should -Throw -ErrorId 'ConditionTimeout,NetNs.Cmdlets.WaitNetNsConditionCommand' -PassThru
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 2
        $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $err.TargetObject.Status | Should -Be 'ConnectionRefused'   # the error's target: how the wait ended
        $err.TargetObject.Met | Should -BeFalse
        $err.Exception.Message | Should -BeLike "timed out after 1.* s waiting in namespace '$($script:a)' for 198.18.83.2:18109 (tcp) to accept a connection; the last probe (* made) reported ConnectionRefused"
        { Wait-NetNsCondition $script:a -LinkUp nt-none0 -Timeout 00:00:00.3 } | Should -Throw '*link nt-none0 to be up*reported LinkNotFound'
    }

    It 'refuses an address that is not one, and a timeout of 0, at once' {
        { Wait-NetNsCondition $script:a -Address 198.18.300.1 } | Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.WaitNetNsConditionCommand'
        { Wait-NetNsCondition $script:a -LinkUp w0 -Timeout 0 } | Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.WaitNetNsConditionCommand'
        { Wait-NetNsCondition $script:a -Listening } | Should -Throw '*-Listening needs -Port*'
        { Wait-NetNsCondition $script:a -LinkUp w0 -Port 80 } | Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.WaitNetNsConditionCommand'
    }
}
