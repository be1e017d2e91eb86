# Packet capture: Start-NetNsCapture, Stop-NetNsCapture and Get-NetNsPacket on the real kernel, in test namespaces.
# inside (198.18.34.10) -- lan0 router wan0 (198.18.34.1 | 198.18.35.1, masquerading) -- outside (198.18.35.10, no route back)
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest

    function Invoke-TcpExchange {
        # From -From, connect to To:Port (a listener in -ListenIn), send -Up bytes; the listener answers -Down bytes and
        # both close. Returns the client's port.
        param([string]$ListenIn, [string]$From, [ipaddress]$To, [int]$Port, [int]$Up, [int]$Down)
        $lns = [NetNs.Core.NamespaceHandle]::OpenName($ListenIn)
        $cns = [NetNs.Core.NamespaceHandle]::OpenName($From)
        $listener = [NetNs.Core.NamespaceSockets]::Open($lns, 'InterNetwork', 'Stream', 'Tcp')
        try {
            $listener.Bind([Net.IPEndPoint]::new([ipaddress]::Any, $Port))
            $listener.Listen(1)
            $accept = $listener.AcceptAsync()
            $client = [NetNs.Core.NamespaceSockets]::ConnectAsync($cns, [ipaddress[]]@($To), $Port, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
            $server = $accept.GetAwaiter().GetResult()
            $null = $client.Send([byte[]]::new($Up))
            $client.Shutdown('Send')
            $buffer = [byte[]]::new(65536)
            $got = 0
            while (($n = $server.Receive($buffer)) -gt 0) { $got += $n }
            $got | Should -Be $Up
            $null = $server.Send([byte[]]::new($Down))
            $server.Shutdown('Send')
            $back = 0
            while (($n = $client.Receive($buffer)) -gt 0) { $back += $n }
            $back | Should -Be $Down
            $clientPort = $client.LocalEndPoint.Port
            $client.Dispose(); $server.Dispose()
            $clientPort
        } finally {
            $listener.Dispose(); $lns.Dispose(); $cns.Dispose()
        }
    }

    $script:inside, $script:router, $script:outside = New-TestName -Count 3
    New-NetNamespace -Name $script:inside, $script:router, $script:outside | Out-Null
    New-VethPair -Name eth0 -PeerName lan0 -Namespace $script:inside -PeerNamespace $script:router -Up | Out-Null
    New-VethPair -Name eth0 -PeerName wan0 -Namespace $script:outside -PeerNamespace $script:router -Up | Out-Null
    Set-NetNsAddress -Namespace $script:router -InterfaceAlias lan0 -IPAddress 198.18.34.1/24
    Set-NetNsAddress -Namespace $script:router -InterfaceAlias wan0 -IPAddress 198.18.35.1/24
    Set-NetNsAddress -Namespace $script:inside -InterfaceAlias eth0 -IPAddress 198.18.34.10/24 -DefaultGateway 198.18.34.1
    Set-NetNsAddress -Namespace $script:outside -InterfaceAlias eth0 -IPAddress 198.18.35.10/24
    Set-NetNsSysctl -Namespace $script:router -Key net.ipv4.ip_forward -Value 1
    Add-NetNsNatRule -Namespace $script:router -Masquerade -SourcePrefix 198.18.34.0/24 -OutputInterface wan0 | Out-Null
    Invoke-Ping -Namespace $script:inside -Address 198.18.35.10 | Should -BeTrue
    $script:files = [Collections.Generic.List[string]]::new()
    function New-TestFile { $f = Join-Path ([IO.Path]::GetTempPath()) "$(New-TestName).pcapng"; $script:files.Add($f); $f }
}

AfterAll {
    Stop-NetNsCapture -All -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
    Remove-TestNamespace -Name $script:inside, $script:router, $script:outside
    foreach ($f in $script:files) { Remove-Item -LiteralPath $f -ErrorAction SilentlyContinue }
}

Describe 'Start-NetNsCapture, Stop-NetNsCapture, Get-NetNsPacket' {
    It 'captures a TCP exchange packet for packet: ports, SYN, SYN-ACK and the bytes sent each way' {
        $c = Start-NetNsCapture -Namespace $script:outside -InterfaceAlias eth0 -Filter 'tcp port 8090'
        $c.State | Should -Be 'Running'
        $c.Interfaces | Should -Be "$($script:outside):eth0"
        $null = Invoke-TcpExchange -ListenIn $script:outside -From $script:inside -To 198.18.35.10 -Port 8090 -Up 1500 -Down 400
        Start-Sleep -Milliseconds 200
        $summary = $c | Stop-NetNsCapture
        $packets = @(Get-NetNsPacket -Capture $c)
        $summary.Packets | Should -Be $packets.Count
        $summary.Bytes | Should -Be ($packets | Measure-Object Length -Sum).Sum
        $summary.Drops | Should -Be 0
        $up = @(Get-NetNsPacket -Capture $c -DestinationPort 8090)
        $down = @(Get-NetNsPacket -Capture $c -SourcePort 8090)
        ($up.Count + $down.Count) | Should -Be $packets.Count
        $up[0].TcpFlags | Should -Be 'S'
        $up[0].Direction | Should -Be 'In'
        $down[0].TcpFlags | Should -Be 'S.'
        $down[0].Direction | Should -Be 'Out'
        ($up | Measure-Object PayloadLength -Sum).Sum | Should -Be 1500
        ($down | Measure-Object PayloadLength -Sum).Sum | Should -Be 400
        $up[0].Summary | Should -BeLike "IP 198.18.35.1.* > 198.18.35.10.8090: Flags ``[S``], seq *"
    }

    It 'proves the masquerade: on the wan side the source is the router, on the lan side the host' {
        $c = Start-NetNsCapture $script:router lan0, wan0 -Filter 'icmp'
        Invoke-Ping -Namespace $script:inside -Address 198.18.35.10 -Attempts 1 | Should -BeTrue
        Start-Sleep -Milliseconds 200
        $null = Stop-NetNsCapture $c
        $wan = @(Get-NetNsPacket $c -Direction Out -Protocol Icmp -Destination 198.18.35.10 | Where-Object InterfaceAlias -EQ wan0)
        $wan.Count | Should -BeGreaterThan 0
        $wan.Source.IPAddressToString | Sort-Object -Unique | Should -Be '198.18.35.1'
        $lan = @(Get-NetNsPacket $c -Direction In -Destination 198.18.35.10 | Where-Object InterfaceAlias -EQ lan0)
        $lan.Source.IPAddressToString | Sort-Object -Unique | Should -Be '198.18.34.10'
        @(Get-NetNsPacket $c -Source 198.18.34.0/24 | Where-Object InterfaceAlias -EQ wan0).Count | Should -Be 0
    }

    It 'sees only what the filter names: icmp sees no TCP' {
        $c = Start-NetNsCapture $script:outside -Filter 'icmp'
        $null = Invoke-TcpExchange -ListenIn $script:outside -From $script:inside -To 198.18.35.10 -Port 8091 -Up 100 -Down 100
        Invoke-Ping -Namespace $script:inside -Address 198.18.35.10 -Attempts 1 | Should -BeTrue
        Start-Sleep -Milliseconds 200
        $null = Stop-NetNsCapture $c
        $all = @(Get-NetNsPacket $c)
        $all.Count | Should -BeGreaterOrEqual 2
        @($all | Where-Object Protocol -NE 'Icmp').Count | Should -Be 0
        @(Get-NetNsPacket $c -Protocol Tcp).Count | Should -Be 0
    }

    It 'writes a pcapng file that tcpdump -r, tshark -r and Get-NetNsPacket -Path read, one interface per namespace' {
        $tcpdump = Get-Command tcpdump -ErrorAction Stop   # a missing tool fails the test: build.sh test installs it
        $tshark = Get-Command tshark -ErrorAction Stop
        $file = New-TestFile
        $c = $script:inside, $script:outside | Start-NetNsCapture -InterfaceAlias eth0 -Filter 'icmp' -Path $file
        Invoke-Ping -Namespace $script:inside -Address 198.18.35.10 -Attempts 1 | Should -BeTrue
        Start-Sleep -Milliseconds 200
        $summary = Stop-NetNsCapture -Id $c.Id
        $summary.Packets | Should -Be 4   # the request out of inside and into outside, the reply back
        $lines = @(& $tcpdump.Source -n -r $file 2>$null)
        $LASTEXITCODE | Should -Be 0
        $lines.Count | Should -Be 4
        @($lines -match 'IP 198\.18\.34\.10 > 198\.18\.35\.10: ICMP echo request').Count | Should -Be 1
        $fields = @(& $tshark.Source -r $file -T fields -e frame.interface_name -e ip.src 2>$null)
        $LASTEXITCODE | Should -Be 0
        $fields.Count | Should -Be 4
        $fields | Should -Contain "$($script:inside):eth0`t198.18.34.10"
        $fields | Should -Contain "$($script:outside):eth0`t198.18.35.1"
        $read = @(Get-NetNsPacket -Path $file)
        $read.Count | Should -Be 4
        ($read.Namespace | Sort-Object -Unique) | Should -Be (@($script:inside, $script:outside) | Sort-Object)
        @($read | Where-Object Direction -EQ Out).Count | Should -Be 2
    }

    It 'stops by itself after -Count packets and streams them to a waiting Get-NetNsPacket' {
        $c = Start-NetNsCapture $script:outside eth0 -Filter 'icmp' -Count 2
        Invoke-Ping -Namespace $script:inside -Address 198.18.35.10 -Attempts 1 | Should -BeTrue
        $got = @(Get-NetNsPacket $c -Timeout 00:00:05)
        $got.Count | Should -Be 2
        $c.State | Should -Be 'Stopped'
    }

    It 'counts the drops of a flooded small buffer, never hides them' {
        $c = Start-NetNsCapture $script:inside eth0 -Filter 'udp dst port 9999' -BufferSize 1 -SnapLength 128
        $ns = [NetNs.Core.NamespaceHandle]::OpenName($script:inside)
        $udp = [NetNs.Core.NamespaceSockets]::Open($ns, 'InterNetwork', 'Dgram', 'Udp')
        try {
            $to = [Net.IPEndPoint]::new([ipaddress]'198.18.34.1', 9999)
            $payload = [byte[]]::new(1000)
            for ($i = 0; $i -lt 20000; $i++) { $null = $udp.SendTo($payload, $to) }
        } finally { $udp.Dispose(); $ns.Dispose() }
        Start-Sleep -Milliseconds 200
        $s = Stop-NetNsCapture $c
        $s.Drops | Should -BeGreaterThan 0
        ($s.Packets + $s.Drops) | Should -Be 20000
    }

    It 'gives InvalidFilter with libpcap''s message for a bad filter, and starts nothing' {
        $before = [NetNs.Core.CaptureRegistry]::List().Count
        { Start-NetNsCapture $script:outside -Filter 'tcp port banana' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidFilter,NetNs.Cmdlets.StartNetNsCaptureCommand' -ExpectedMessage "*'tcp port banana'*"
        [NetNs.Core.CaptureRegistry]::List().Count | Should -Be $before
    }

    It 'gives LinkNotFound for an interface that is not there, and leaves no file' {
        $file = New-TestFile
        { Start-NetNsCapture $script:outside nope0 -Path $file -ErrorAction Stop } |
            Should -Throw -ErrorId 'LinkNotFound,NetNs.Cmdlets.StartNetNsCaptureCommand' -ExpectedMessage '*nope0*'
        Test-Path -LiteralPath $file | Should -BeFalse
    }

    It 'starts nothing with -WhatIf' {
        $before = [NetNs.Core.CaptureRegistry]::List().Count
        Start-NetNsCapture $script:outside -WhatIf | Should -BeNullOrEmpty
        [NetNs.Core.CaptureRegistry]::List().Count | Should -Be $before
    }

    It 'lets a pwsh that forgot to stop its capture exit, with its file complete' {
        $file = New-TestFile
        $script = "Import-Module '$env:NETNS_MODULE_PATH'; `$null = Start-NetNsCapture $($script:outside) eth0 -Filter icmp -Path '$file'; " +
            "& ip netns exec $($script:inside) ping -c 1 -W 2 198.18.35.10 | Out-Null; Start-Sleep -Milliseconds 200; exit 0"
        $p = [Diagnostics.Process]::Start((New-ChildPwshStartInfo '-Command', $script))
        try {
            $p.WaitForExit(30000) | Should -BeTrue
            $p.ExitCode | Should -Be 0
        } finally { if (-not $p.HasExited) { $p.Kill($true) } }
        @(Get-NetNsPacket -Path $file -Protocol Icmp).Count | Should -Be 2
    }

    It 'stops its captures when the module is removed' {
        $file = New-TestFile
        $script = "Import-Module '$env:NETNS_MODULE_PATH'; `$c = Start-NetNsCapture $($script:outside) eth0 -Filter icmp -Path '$file'; " +
            "Remove-Module NetNs; Start-Sleep -Milliseconds 100; if (`$c.State -ne 'Stopped') { exit 3 }; " +
            "if ([NetNs.Core.CaptureRegistry]::List().Count -ne 0) { exit 4 }; exit 0"
        $p = [Diagnostics.Process]::Start((New-ChildPwshStartInfo '-Command', $script))
        try {
            $p.WaitForExit(30000) | Should -BeTrue
            $p.ExitCode | Should -Be 0
        } finally { if (-not $p.HasExited) { $p.Kill($true) } }
        @(Get-NetNsPacket -Path $file).Count | Should -Be 0   # a complete, readable file
    }

    It 'shows captures and packets in tables that fit 80 columns' {
        $c = Start-NetNsCapture $script:outside eth0 -Filter icmp -Count 2
        Invoke-Ping -Namespace $script:inside -Address 198.18.35.10 -Attempts 1 | Should -BeTrue
        $null = $c.Wait([TimeSpan]::FromSeconds(5))
        foreach ($o in $c, $c.Summary(), @(Get-NetNsPacket $c)[0]) {
            $text = $o | Format-Table | Out-String -Width 80
            $lines = $text -split "`n" | Where-Object { $_.Trim() }
            ($lines[0] -split '\s+' | Where-Object { $_ }).Count | Should -BeLessOrEqual 5
        }
        ($c | Format-Table | Out-String -Width 80) | Should -Match 'Packets'
        (@(Get-NetNsPacket $c)[0] | Format-Table | Out-String -Width 80) | Should -Match 'In  IP 198\.18\.35\.1 > 198\.18\.35\.10: ICMP echo'
    }
}
