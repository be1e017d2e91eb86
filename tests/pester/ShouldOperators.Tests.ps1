BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest   # Pester is loaded: the import registers -Reach and -NotReach
}

# Two namespaces joined by a veth: s0 in A (198.18.84.1/30), s1 in B (.2), with a TCP listener on B's port 18111 made
# inside B for the whole block; port 18112 is closed (refused), 198.18.84.3 has nobody (no answer).
Describe 'Should -Reach and -NotReach' {
    BeforeAll {
        $script:a, $script:b = New-TestNamespace -Count 2
        & ip -n $script:a link add s0 type veth peer name s1 netns $script:b
        & ip -n $script:a addr add 198.18.84.1/30 dev s0
        & ip -n $script:b addr add 198.18.84.2/30 dev s1
        & ip -n $script:a link set s0 up
        & ip -n $script:b link set s1 up
        & ip -n $script:b link set lo up   # B probes its own address through its loopback
        $script:nsB = [NetNs.Core.NamespaceHandle]::OpenName($script:b)
        $script:listener = [NetNs.Core.NamespaceSockets]::Open($script:nsB, 'InterNetwork', 'Stream', 'Tcp')
        $script:listener.Bind([Net.IPEndPoint]::new([ipaddress]::Any, 18111))
        $script:listener.Listen(8)
    }
    AfterAll {
        if ($script:listener) { $script:listener.Dispose() }
        if ($script:nsB) { $script:nsB.Dispose() }
        Remove-TestNamespace -Name $script:a, $script:b
    }

    It 'are registered by importing NetNs with Pester loaded, and registering again changes nothing' {
        $names = (Get-ShouldOperator).Name
        $names | Should -Contain 'Reach'
        $names | Should -Contain 'NotReach'
        { Register-NetNsShouldOperator -ErrorAction Stop } | Should -Not -Throw
        Register-NetNsShouldOperator -PassThru | Should -BeNullOrEmpty
        { Import-Module (Get-NetNsModulePath) -Force -Global -ErrorAction Stop -WarningAction Stop } | Should -Not -Throw
        @((Get-ShouldOperator).Name | Where-Object { $_ -in 'Reach', 'NotReach' }).Count | Should -Be 2
    }

    It 'are registered by Register-NetNsShouldOperator when Pester comes after NetNs (a fresh process)' {
        $out = Start-Job -ArgumentList (Get-NetNsModulePath), (Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1') {
            param($netns, $pester)
            Import-Module $netns
            try { Register-NetNsShouldOperator -ErrorAction Stop } catch { "without Pester: $_" }
            Import-Module $pester
            "after import: $((Get-ShouldOperator).Name -contains 'Reach')"
            "registered: $((Register-NetNsShouldOperator -PassThru) -join ',')"
            "again: $((Register-NetNsShouldOperator -PassThru) -join ',')"
            try { 'nt-none' | Should -Reach 198.18.84.2 } catch { "works: $($_.Exception.Message -like "Expected namespace 'nt-none' to reach 198.18.84.2 (icmp), but it could not be probed: *")" }
        } | Receive-Job -Wait -AutoRemoveJob
        $out | Should -Be @(
            'without Pester: Pester 5 is not loaded: Import-Module Pester (5.0 or later), then Register-NetNsShouldOperator.'
            'after import: False'
            'registered: Reach,NotReach,HaveCaptured'
            'again: '
            'works: True')
    }

    It 'Reach passes for an echo and for an open port, for every namespace piped in' {
        $script:a | Should -Reach 198.18.84.2
        $script:a | Should -Reach 198.18.84.2 -Port 18111
        $script:a, $script:b | Should -Reach 198.18.84.2 -Port 18111 -Timeout 2s
        Get-NetNamespace -Name $script:a | Should -Reach 198.18.84.2
    }

    It 'Reach fails for a refused port, saying what the probe reported and after how long' {
        { $script:a | Should -Reach 198.18.84.2 -Port 18112 } |
            Should -Throw "Expected namespace '$($script:a)' to reach 198.18.84.2:18112 (tcp), but the probe reported ConnectionRefused after 1.0 s (* probes)."
        { $script:a | Should -Reach 198.18.84.2 -Port 18112 -Timeout 300ms -Because 'the web server is up' } |
            Should -Throw "Expected namespace '$($script:a)' to reach 198.18.84.2:18112 (tcp), because the web server is up, but the probe reported ConnectionRefused after 0.3 s*"
    }

    It 'Reach fails for an address that never answers, within its timeout' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        { $script:a | Should -Reach 198.18.84.3 -Timeout 500ms } |
            Should -Throw "Expected namespace '$($script:a)' to reach 198.18.84.3 (icmp), but the probe reported * after 0.5 s*"
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 2
    }

    It 'NotReach passes for a refused port and a silent address, and Should -Not -Reach is the same' {
        $script:a | Should -NotReach 198.18.84.2 -Port 18112
        $script:a | Should -NotReach 198.18.84.3 -Timeout 00:00:00.3
        $script:a | Should -Not -Reach 198.18.84.2 -Port 18112
    }

    It 'NotReach fails for an open port and an answering address, saying it was reached' {
        { $script:a | Should -NotReach 198.18.84.2 -Port 18111 } |
            Should -Throw "Expected namespace '$($script:a)' not to reach 198.18.84.2:18111 (tcp), but the connection was accepted in * ms from 198.18.84.1."
        { $script:a | Should -NotReach 198.18.84.2 -Because 'B is isolated' } |
            Should -Throw "Expected namespace '$($script:a)' not to reach 198.18.84.2 (icmp), because B is isolated, but an echo reply came back in * ms from 198.18.84.1."
        { $script:a | Should -Not -NotReach 198.18.84.2 -Port 18112 } |
            Should -Throw "Expected namespace '$($script:a)' to reach 198.18.84.2:18112 (tcp), but the probe reported ConnectionRefused*"
    }

    It 'fails clearly for a namespace that is not there, or none at all' {
        $missing = New-TestName
        { $missing | Should -Reach 198.18.84.2 } | Should -Throw "Expected namespace '$missing' to reach 198.18.84.2 (icmp), but it could not be probed: *"
        { $null | Should -NotReach 198.18.84.2 } | Should -Throw 'Expected a namespace to probe from, but got $null.'
    }
}

# A capture on A's s0 while A pings B and connects to B's TCP port: what -HaveCaptured matches and what it says.
Describe 'Should -HaveCaptured' {
    BeforeAll {
        $script:a, $script:b = New-TestNamespace -Count 2
        & ip -n $script:a link add s0 type veth peer name s1 netns $script:b
        & ip -n $script:a addr add 198.18.85.1/30 dev s0
        & ip -n $script:b addr add 198.18.85.2/30 dev s1
        & ip -n $script:a link set s0 up
        & ip -n $script:b link set s1 up
        Test-NetNsConnection $script:a 198.18.85.2 -Count 1 | Out-Null   # neighbours learnt before the capture
        $script:nsB = [NetNs.Core.NamespaceHandle]::OpenName($script:b)
        $script:listener = [NetNs.Core.NamespaceSockets]::Open($script:nsB, 'InterNetwork', 'Stream', 'Tcp')
        $script:listener.Bind([Net.IPEndPoint]::new([ipaddress]::Any, 18211))
        $script:listener.Listen(8)
        $script:file = Join-Path ([IO.Path]::GetTempPath()) "$($script:a).pcapng"
        $script:c = Start-NetNsCapture $script:a s0 -Path $script:file
        Test-NetNsConnection $script:a 198.18.85.2 -Count 2 | Out-Null
        Test-NetNsConnection $script:a 198.18.85.2 -Port 18211 | Out-Null
    }
    AfterAll {
        if ($script:c) { Stop-NetNsCapture $script:c | Out-Null }
        if ($script:listener) { $script:listener.Dispose() }
        if ($script:nsB) { $script:nsB.Dispose() }
        Remove-TestNamespace -Name $script:a, $script:b
        Remove-Item -LiteralPath $script:file -ErrorAction SilentlyContinue
    }

    It 'is registered with -Reach and -NotReach' {
        (Get-ShouldOperator).Name | Should -Contain 'HaveCaptured'
    }

    It 'passes for what was sent, on a running capture: TCP to the port, ICMP both ways, a count' {
        $script:c | Should -HaveCaptured -Source 198.18.85.1 -Destination 198.18.85.2 -Protocol Tcp -DestinationPort 18211
        $script:c | Should -HaveCaptured -Protocol Icmp -Source 198.18.85.2 -Direction In -Count 2
        $script:c | Should -HaveCaptured -Protocol Tcp -SourcePort 18211
    }

    It 'fails for what was not sent, naming the capture, what it wanted and the packets it did see' {
        { $script:c | Should -HaveCaptured -Protocol Udp -Timeout 0.2 -Because 'DNS went out' } |
            Should -Throw "Expected capture $($script:c.Id) (*s0*) to have captured a udp packet, because DNS went out, but it captured 0 such of * packets; the first:*198.18.85.*"
        { $script:c | Should -HaveCaptured -Protocol Icmp -Count 50 -Timeout 0.2 } | Should -Throw '*to have captured 50 icmp packets, but it captured * such of * packets*'
    }

    It 'Should -Not -HaveCaptured passes for nothing matching and fails at the first matching packet' {
        $script:c | Should -Not -HaveCaptured -Protocol Udp
        { $script:c | Should -Not -HaveCaptured -Protocol Tcp -DestinationPort 18211 } |
            Should -Throw '*not to have captured a tcp packet to port 18211*but it did: *198.18.85.1*18211*'
    }

    It 'reads a stopped capture''s file as well' {
        Stop-NetNsCapture $script:c | Out-Null
        $script:file | Should -HaveCaptured -Protocol Tcp -Destination 198.18.85.2 -DestinationPort 18211
        { $script:file | Should -HaveCaptured -Source 198.18.99.9 } | Should -Throw "*capture file '$($script:file)'*from 198.18.99.9*"
    }
}
