BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/Pwsh.psm1') -Force
    Import-NetNsUnderTest
}

# The lab is made with ip, independently of the module: a (198.18.61.1, 2001:db8:61::1) -- b (.2, ::2).
Describe 'Test-NetNsConnection' {
    BeforeAll {
        $script:a, $script:b = New-TestNamespace -Count 2
        & ip -n $script:a link add va type veth peer name vb netns $script:b
        foreach ($n in @(@($script:a, 'va', 1), @($script:b, 'vb', 2))) {
            & ip -n $n[0] addr add "198.18.61.$($n[2])/24" dev $n[1]
            & ip -n $n[0] addr add "2001:db8:61::$($n[2])/64" dev $n[1] nodad
            & ip -n $n[0] link set $n[1] up
            & ip -n $n[0] link set lo up
        }
        # operstate turns UP a moment after both ends are up (linkwatch); IPv6 uses the link only then.
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while (((Get-IpLink -Namespace $script:a -Name va).operstate -ne 'UP' -or (Get-IpLink -Namespace $script:b -Name vb).operstate -ne 'UP') -and
            [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
    }
    AfterAll { Remove-TestNamespace -Name $script:a, $script:b }

    It 'reaches the peer over IPv4, namespace first, with source, interface and round trip' {
        $r = Test-NetNsConnection $script:a 198.18.61.2
        $r | Should -HaveCount 1
        $r.Success | Should -BeTrue
        $r.PingSucceeded | Should -BeTrue
        $r.Status | Should -Be 'Success'
        $r.Namespace | Should -Be $script:a
        $r.RemoteAddress | Should -Be '198.18.61.2'
        $r.SourceAddress | Should -Be '198.18.61.1'
        $r.InterfaceAlias | Should -Be 'va'
        $r.RoundTripTime.TotalMilliseconds | Should -BeGreaterThan 0
    }

    It 'reaches the peer over IPv6' {
        $r = Test-NetNsConnection -Namespace $script:b -TargetAddress 2001:db8:61::1 -Count 2
        $r.Success | Should -BeTrue
        $r.PacketsSent | Should -Be 2
        $r.PacketsReceived | Should -BeIn 1, 2   # any reply passes; one echo of a fresh IPv6 link is sometimes lost
    }

    It 'reports an address nobody has as failed, within its time bound' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $r = Test-NetNsConnection $script:a 198.18.61.99 -TimeoutMilliseconds 300
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
        $r.Success | Should -BeFalse
        $r.PingSucceeded | Should -BeFalse
        $r.Status | Should -BeIn 'TimedOut', 'HostUnreachable'
    }

    It 'reports NetworkUnreachable when the namespace has no route' {
        (Test-NetNsConnection $script:a 198.19.61.1).Status | Should -Be 'NetworkUnreachable'
    }

    It 'does not reach an address that exists only in another namespace' {
        $c = New-TestNamespace
        try {
            & ip -n $c link set lo up
            Test-NetNsConnection $c 198.18.61.2 -TimeoutMilliseconds 300 -Quiet | Should -BeFalse
            Test-NetNsConnection $c 127.0.0.1 -Quiet | Should -BeTrue
        } finally { Remove-TestNamespace -Name $c }
    }

    It 'returns one bool per test with -Quiet' {
        $q = Test-NetNsConnection $script:a 198.18.61.2, 198.18.61.99 -TimeoutMilliseconds 300 -Quiet
        $q | Should -Be $true, $false
        $q[0] | Should -BeOfType [bool]
    }

    It 'probes every namespace x target of the pipeline at once, in input order' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $r = $script:a, $script:b | Test-NetNsConnection -TargetAddress 198.18.61.1, 198.18.61.2, 198.18.61.98, 198.18.61.99 -TimeoutMilliseconds 600
        $clock.Stop()
        $r | Should -HaveCount 8
        ($r | ForEach-Object { "$($_.Namespace) $($_.RemoteAddress) $($_.Success)" }) | Should -Be @(
            "$($script:a) 198.18.61.1 True", "$($script:a) 198.18.61.2 True", "$($script:a) 198.18.61.98 False", "$($script:a) 198.18.61.99 False"
            "$($script:b) 198.18.61.1 True", "$($script:b) 198.18.61.2 True", "$($script:b) 198.18.61.98 False", "$($script:b) 198.18.61.99 False")
        # Four unanswered probes of 0.6 s each would take 2.4 s one after the other.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 1.8
    }

    It 'takes NetNamespace objects and Get-NetNsAddress output from the pipeline' {
        (Get-NetNamespace $script:b | Test-NetNsConnection -TargetAddress 198.18.61.1).Success | Should -BeTrue
        $r = Get-NetNsAddress -Namespace $script:b -InterfaceAlias vb -AddressFamily IPv4 | Test-NetNsConnection -Namespace $script:a
        $r.RemoteAddress | Should -Be '198.18.61.2'
        $r.Success | Should -BeTrue
    }

    It 'tests TCP: a listener in the peer accepts, a closed port refuses' {
        # The listener's socket is created inside b by a thread there; it keeps listening after the block ends.
        $listener = Invoke-InNetNamespace -Namespace $script:b { $l = [Net.Sockets.TcpListener]::new([ipaddress]::Any, 18090); $l.Start(); $l }
        try {
            $open = Test-NetNsConnection $script:a 198.18.61.2 -Port 18090
            $open.Success | Should -BeTrue
            $open.TcpTestSucceeded | Should -BeTrue
            $open.PingSucceeded | Should -BeNullOrEmpty
            $open.RemotePort | Should -Be 18090
            $closed = Test-NetNsConnection $script:a 198.18.61.2 -Port 18091
            $closed.Success | Should -BeFalse
            $closed.Status | Should -Be 'ConnectionRefused'
            # The caller's own namespace has no such listener.
            Test-NetNsConnection -TargetAddress 127.0.0.1 -Port 18090 -Quiet | Should -BeFalse
        } finally { $listener.Stop() }
    }

    It 'writes one InvalidArgument error for a target that is not an address and tests the others' {
        $r = Test-NetNsConnection $script:a 'not-an-ip', 198.18.61.2 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev | Should -HaveCount 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,NetNs.Cmdlets.TestNetNsConnectionCommand'
        $ev[0].TargetObject | Should -Be 'not-an-ip'
        $r.Success | Should -BeTrue
    }

    It 'writes NamespaceNotFound for a missing namespace and probes the rest' {
        $missing = New-TestName
        $r = $missing, $script:a | Test-NetNsConnection -TargetAddress 198.18.61.2 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev | Should -HaveCount 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'NamespaceNotFound,NetNs.Cmdlets.TestNetNsConnectionCommand'
        $r.Namespace | Should -Be $script:a
    }

    It 'works with an empty PATH (no ping or ip binary involved)' {
        $module = (Get-Module NetNs).Path -replace '\.dll$', '.psd1'
        $code = "`$env:PATH = ''; Import-Module '$module'; (Test-NetNsConnection $($script:a) 198.18.61.2, 2001:db8:61::2).Success -join ','"
        $out = Invoke-Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $code 2>&1
        $LASTEXITCODE | Should -Be 0
        $out | Should -Be 'True,True'
    }

    It 'has a table view that fits 80 columns' {
        $r = Test-NetNsConnection $script:a 2001:db8:61::2, 198.18.61.2
        $lines = ($r | Format-Table | Out-String -Width 80) -split "`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Namespace\s+RemoteAddress\s+Test\s+Status\s+RTT\(ms\)$'
        $lines | Where-Object { $_ -match [regex]::Escape($script:a) } | Should -HaveCount 2
    }
}

Describe 'Test-NetNsConnection from a namespace whose loopback is down' {
    BeforeAll {
        $script:ns = New-TestName
        New-NetNamespace $script:ns -LoopbackDown | Out-Null
        & ip -n $script:ns link add nt-lb0 type bridge
        & ip -n $script:ns addr add 198.18.77.1/24 dev nt-lb0
        & ip -n $script:ns link set nt-lb0 up
    }
    AfterAll { Remove-TestNamespace -Name $script:ns }

    It 'says LoopbackDown, not TimedOut, for its own address and for <Target>' -ForEach @(@{ Target = '198.18.77.1' }, @{ Target = '127.0.0.1' }) {
        $r = Test-NetNsConnection -Namespace $script:ns -TargetAddress $Target -Count 1 -TimeoutMilliseconds 300
        $r.Success | Should -BeFalse
        $r.Status | Should -Be 'LoopbackDown'
    }

    It 'reaches the same address once the loopback is up' {
        Set-NetNsLink -Namespace $script:ns -Name lo -Up
        (Test-NetNsConnection -Namespace $script:ns -TargetAddress 198.18.77.1 -Count 1).Status | Should -Be 'Success'
    }
}
