BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/Pwsh.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Invoke-InNetNamespace' {
    BeforeAll {
        $script:ns = New-TestNamespace
        & ip -n $script:ns link add nt-br9 type bridge
        & ip -n $script:ns addr add 198.18.40.1/24 dev nt-br9
        & ip -n $script:ns link set nt-br9 up
    }
    AfterAll { Remove-TestNamespace -Name $script:ns }

    It 'runs native commands inside the namespace' {
        $out = Invoke-InNetNamespace -Namespace $script:ns { ip -o link show }
        ($out -join "`n") | Should -Match 'nt-br9'
        ($out -join "`n") | Should -Not -Match '\beth0\b'
    }

    It 'shows the namespace in /sys/class/net and to in-process .NET code' {
        $sys = Invoke-InNetNamespace -Namespace $script:ns { (Get-ChildItem /sys/class/net).Name }
        $sys | Sort-Object | Should -Be @('lo', 'nt-br9')
        $dotnet = Invoke-InNetNamespace -Namespace $script:ns { [Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces().Name }
        $dotnet | Sort-Object | Should -Be @('lo', 'nt-br9')
    }

    It 'returns live objects and passes -ArgumentList as $args' {
        $r = Invoke-InNetNamespace -Namespace $script:ns { param($a, $b) [pscustomobject]@{ Sum = $a + $b; Links = @(Get-NetNsLink).Count } } -ArgumentList 40, 2
        $r.Sum | Should -Be 42
        $r.Links | Should -Be 2
    }

    It 'takes the namespace from the pipeline' {
        $addr = Get-NetNamespace $script:ns | Invoke-InNetNamespace { Get-NetNsAddress -InterfaceAlias nt-br9 -AddressFamily IPv4 }
        $addr.IPAddress | Should -Be '198.18.40.1'
        $addr.Namespace | Should -Be $script:ns   # made inside, it says where it lives
    }

    It 'leaves the caller in its own namespace, also after the script throws' {
        $before = (Get-Item /proc/thread-self/ns/net).Target
        $err = $null
        Invoke-InNetNamespace -Namespace $script:ns { throw 'boom' } -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        "$($err[0])" | Should -Be 'boom'
        (Get-Item /proc/thread-self/ns/net).Target | Should -Be $before
        (Get-ChildItem /sys/class/net).Name | Should -Not -Contain 'nt-br9'
    }

    It 'reports a missing namespace as NamespaceNotFound' {
        { Invoke-InNetNamespace -Namespace (New-TestName) { 1 } -ErrorAction Stop } |
            Should -Throw -ErrorId 'NamespaceNotFound,NetNs.Cmdlets.InvokeInNetNamespaceCommand'
    }
}

Describe 'Invoke-InNetNamespace with /etc/netns/NAME' {
    BeforeAll {
        $script:ns = New-TestNamespace
        $script:etc = "/etc/netns/$($script:ns)"
        $script:hadEtcNetns = Test-Path /etc/netns
        New-Item -ItemType Directory -Path $script:etc -Force | Out-Null
        Set-Content -Path "$($script:etc)/hosts" -Value "198.18.42.7 nt-only-in-$($script:ns)"
    }
    AfterAll {
        Remove-Item -Recurse -Force -LiteralPath $script:etc -ErrorAction SilentlyContinue
        if (-not $script:hadEtcNetns) { Remove-Item /etc/netns -ErrorAction SilentlyContinue }
        Remove-TestNamespace -Name $script:ns
    }

    It 'sees /etc/netns/NAME/hosts as /etc/hosts inside, like ip netns exec, and the caller does not' {
        $inside = Invoke-InNetNamespace -Namespace $script:ns { Get-Content /etc/hosts }
        $inside | Should -Be "198.18.42.7 nt-only-in-$($script:ns)"
        (& ip netns exec $script:ns cat /etc/hosts) | Should -Be $inside
        Get-Content /etc/hosts | Should -Not -Contain $inside
    }
}

Describe 'Invoke-InNetNamespace' {
    BeforeAll {
        $script:a, $script:b = New-TestNamespace -Count 2
        & ip -n $script:a link add nt-mark-a type bridge
        & ip -n $script:b link add nt-mark-b type bridge
        # Threads of this process inside a namespace, by its inode (for the cleanup tests).
        function Get-ThreadsIn([string]$Inode) {
            @(Get-ChildItem /proc/self/task | Where-Object { try { (Get-Item "$($_.FullName)/ns/net" -ErrorAction Stop).Target -eq $Inode } catch { $false } })
        }
    }
    AfterAll { Remove-TestNamespace -Name $script:a, $script:b }

    It 'takes the namespace first, like ip netns exec NS CMD' {
        $links = Invoke-InNetNamespace $script:a { ip -o link show | ForEach-Object { ($_ -split ': ')[1] } }
        $links | Should -Be 'lo', 'nt-mark-a'
    }

    It 'runs the block once per namespace piped in when the block comes first' {
        $r = $script:a, $script:b | Invoke-InNetNamespace { (Get-ChildItem /sys/class/net).Name | Where-Object { $_ -like 'nt-mark-*' } }
        $r | Should -Be 'nt-mark-a', 'nt-mark-b'
        (Get-NetNamespace $script:b | Invoke-InNetNamespace { 'x' }) | Should -Be 'x'
    }

    It 'gives pipeline input to the block as $input when the namespace comes first' {
        1..3 | Invoke-InNetNamespace $script:a { $input | ForEach-Object { $_ * 2 } } | Should -Be 2, 4, 6
        # Input that arrives after the block has started reading $input still reaches it.
        1..3 | ForEach-Object { Start-Sleep -Milliseconds 50; $_ } | Invoke-InNetNamespace $script:a { $input | ForEach-Object { $_ * 2 } } |
            Should -Be 2, 4, 6
    }

    It 'hands $using: values over live (the same object, not a copy) and binds -ArgumentList' {
        $h = @{}
        $factor = 7
        $r = Invoke-InNetNamespace $script:a { param($n) $d = $using:h; $d['seen'] = $true; $n * $using:factor } -ArgumentList 6
        $r | Should -Be 42
        $h['seen'] | Should -BeTrue
    }

    It 'writes every stream to the caller''s matching stream' {
        $ErrorActionPreference = 'Continue'
        $out = Invoke-InNetNamespace $script:a {
            Write-Warning 'w1'; Write-Verbose 'v1'; Write-Debug 'd1'; Write-Information 'i1'; Write-Host 'h1'; Write-Error 'e1'; 'o1'
        } -Verbose -Debug -WarningVariable wv -ErrorVariable ev -InformationVariable iv -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 4>&1 5>&1 6>$null
        $wv.Message | Should -Be 'w1'
        "$($ev[0])" | Should -Be 'e1'
        $iv.MessageData | ForEach-Object { "$_" } | Should -Be 'i1', 'h1'
        ($iv | Where-Object { $_.Tags -contains 'PSHOST' }).MessageData.Message | Should -Be 'h1'
        ($out | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message | Should -Be 'v1'
        ($out | Where-Object { $_ -is [Management.Automation.DebugRecord] }).Message | Should -Be 'd1'
        $out | Where-Object { $_ -is [string] } | Should -Be 'o1'
    }

    It 'carries the caller''s preference variables in' {
        $VerbosePreference = 'Continue'
        $r = Invoke-InNetNamespace $script:a { $VerbosePreference.ToString() } 4>$null
        $r | Should -Be 'Continue'
    }

    It 'streams objects as they are produced' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $times = Invoke-InNetNamespace $script:a { 'first'; Start-Sleep -Milliseconds 800; 'second' } | ForEach-Object { $clock.ElapsedMilliseconds }
        $times[0] | Should -BeLessThan 600
        $times[1] | Should -BeGreaterOrEqual 700
    }

    It 'stops the block and kills its programs at an early end of the pipeline' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $r = Invoke-InNetNamespace $script:a { 'first'; sleep 30; 'never' } | Select-Object -First 1
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 8
        $r | Should -Be 'first'
        # The sleep ran inside a: no process is left there.
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while ((& ip netns pids $script:a) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        & ip netns pids $script:a | Should -BeNullOrEmpty
        $LASTEXITCODE | Should -Be 0
    }

    It 'sets $LASTEXITCODE from the block''s last native command' {
        Invoke-InNetNamespace $script:a { ip link show nt-no-such-link 2>$null }
        $LASTEXITCODE | Should -Be 1
        Invoke-InNetNamespace $script:a { ip link show lo | Out-Null }
        $LASTEXITCODE | Should -Be 0
    }

    It 'runs a program directly with -FilePath: stdout as strings, stderr as errors, its exit code' {
        $out = Invoke-InNetNamespace $script:a -FilePath sh -ArgumentList '-c', 'ls /sys/class/net; echo oops >&2; exit 7' -ErrorVariable ev -ErrorAction SilentlyContinue
        $out | Should -Be 'lo', 'nt-mark-a'
        $LASTEXITCODE | Should -Be 7
        $ev | Should -HaveCount 1
        $ev[0].FullyQualifiedErrorId | Should -Match '^NativeCommandError'
        "$($ev[0])" | Should -Be 'oops'
    }

    It 'feeds pipeline input to the program''s stdin' {
        'one', 'two' | Invoke-InNetNamespace $script:a -FilePath cat | Should -Be 'one', 'two'
    }

    It 'reports a program that cannot be started as ProgramNotFound' {
        { Invoke-InNetNamespace $script:a -FilePath nt-no-such-program -ErrorAction Stop } | Should -Throw -ErrorId 'ProgramNotFound,NetNs.Cmdlets.InvokeInNetNamespaceCommand'
    }

    It 'starts every call from a clean state' {
        Invoke-InNetNamespace $script:a { $leftover = 'from the last call'; Set-Location / }
        Invoke-InNetNamespace $script:a { "[$leftover]" } | Should -Be '[]'
        Invoke-InNetNamespace $script:a { (Get-Location).Path } | Should -Be (Get-Location).Path
    }

    It 'refuses ForEach-Object -Parallel and Start-ThreadJob, which would run outside the namespace, before running anything' {
        $h = @{}
        { Invoke-InNetNamespace $script:a { $d = $using:h; $d['ran'] = 1; 1..2 | ForEach-Object -Parallel { $_ } } -ErrorAction Stop } |
            Should -Throw -ErrorId 'NotSupported,NetNs.Cmdlets.InvokeInNetNamespaceCommand'
        { Invoke-InNetNamespace $script:a { Start-ThreadJob { 1 } } } | Should -Throw -ErrorId 'NotSupported,NetNs.Cmdlets.InvokeInNetNamespaceCommand'
        $h.Count | Should -Be 0
    }

    It 'keeps 8 namespaces apart when called in parallel' {
        $names = New-TestNamespace -Count 8
        try {
            foreach ($n in $names) { & ip -n $n link add "x$($n.Substring(3))" type bridge }
            $module = (Get-Module NetNs).Path
            $r = $names | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:module
                $n = $_
                $seen = Invoke-InNetNamespace $n { (Get-ChildItem /sys/class/net).Name | Where-Object { $_ -like 'x*' } }
                "$n=$seen"
            }
            ($r | Sort-Object) | Should -Be ($names | ForEach-Object { "$_=x$($_.Substring(3))" } | Sort-Object)
        } finally { Remove-TestNamespace -Name $names }
    }

    It 'leaves the caller''s thread home after 1000 calls, failing ones included, without growing threads or descriptors' {
        $before = (Get-Item /proc/thread-self/ns/net).Target
        Invoke-InNetNamespace $script:a { 1 } | Out-Null
        $threads = @(Get-ChildItem /proc/self/task).Count
        $fds = @(Get-ChildItem /proc/self/fd).Count
        $missing = New-TestName
        for ($i = 0; $i -lt 1000; $i++) {
            switch ($i % 4) {
                0 { Invoke-InNetNamespace $script:a { 1 } | Out-Null }
                1 { Invoke-InNetNamespace $script:a { throw 'boom' } -ErrorAction SilentlyContinue }
                2 { Invoke-InNetNamespace $missing { 1 } -ErrorAction SilentlyContinue }
                3 { Invoke-InNetNamespace $script:a -FilePath false }
            }
        }
        (Get-Item /proc/thread-self/ns/net).Target | Should -Be $before
        (Get-ChildItem /sys/class/net).Name | Should -Not -Contain 'nt-mark-a'
        # A leak would be one per call (1000); a few more pool threads under load are not one.
        @(Get-ChildItem /proc/self/task).Count | Should -BeLessOrEqual ($threads + 16)
        @(Get-ChildItem /proc/self/fd).Count | Should -BeLessOrEqual ($fds + 16)
    }

    It 'ends its warm threads in a namespace when Remove-NetNamespace removes it' {
        $n = New-TestNamespace
        $id = (& stat -L -c '%i' "/run/netns/$n")
        Invoke-InNetNamespace $n { 1 } | Out-Null
        Get-ThreadsIn "net:[$id]" | Should -Not -BeNullOrEmpty
        Remove-NetNamespace $n -Confirm:$false
        # Remove has joined the thread; the kernel drops its task a moment later (/proc/self/task lags the join).
        $deadline = [DateTime]::UtcNow.AddSeconds(1)
        while ((Get-ThreadsIn "net:[$id]") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        Get-ThreadsIn "net:[$id]" | Should -BeNullOrEmpty
    }

    It 'keeps /sys read-only inside when the caller''s /sys is read-only (a pwsh in a private mount namespace with /sys remounted ro)' {
        $module = (Get-Module NetNs).Path -replace '\.dll$', '.psd1'
        $code = "Import-Module '$module'; Invoke-InNetNamespace $($script:a) { (Get-Content /proc/thread-self/mountinfo | Where-Object { (`$_ -split ' ')[4] -eq '/sys' } | Select-Object -Last 1).Split(' ')[5].Split(',')[0]; (Get-ChildItem /sys/class/net).Name -join ',' }"
        $prefix = 'unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount -o remount,bind,ro /sys && exec "$@"', 'sh'
        $out = Invoke-Pwsh -Prefix $prefix -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $code 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $out | Should -Be 'ro', 'lo,nt-mark-a'
        # and read-write where the caller's is read-write
        Invoke-InNetNamespace $script:a { (Get-Content /proc/thread-self/mountinfo | Where-Object { ($_ -split ' ')[4] -eq '/sys' } | Select-Object -Last 1).Split(' ')[5].Split(',')[0] } |
            Should -Be 'rw'
    }

    It 'reports an empty namespace and a missing one, and still runs the others' {
        { Invoke-InNetNamespace '' { 1 } -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.InvokeInNetNamespaceCommand'
        $missing = New-TestName
        $r = $missing, $script:a | Invoke-InNetNamespace { 'ran' } -ErrorVariable ev -ErrorAction SilentlyContinue
        $r | Should -Be 'ran'
        $ev | Should -HaveCount 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'NamespaceNotFound,NetNs.Cmdlets.InvokeInNetNamespaceCommand'
    }
}

Describe 'Web requests inside Invoke-InNetNamespace' {
    BeforeAll {
        Add-Type -TypeDefinition @'
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
public static class NtHttpResponder {
    // Answers each connection on the listener with one HTTP response carrying the body; ends with the listener.
    public static Task Serve(TcpListener listener, string body) => Task.Run(async () => {
        while (true) {
            TcpClient c;
            try { c = await listener.AcceptTcpClientAsync(); } catch { return; }
            using (c) {
                var s = c.GetStream(); var buf = new byte[4096]; var head = new StringBuilder();
                while (!head.ToString().Contains("\r\n\r\n")) { int n = await s.ReadAsync(buf, 0, buf.Length); if (n == 0) break; head.Append(Encoding.ASCII.GetString(buf, 0, n)); }
                var reply = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.Length + "\r\nConnection: close\r\n\r\n" + body);
                await s.WriteAsync(reply, 0, reply.Length);
            }
        }
    });
}
'@
        $script:ns = New-TestNamespace
        & ip -n $script:ns link set lo up
        # One server inside the namespace, one in the caller's, on the same loopback port.
        $script:inner = Invoke-InNetNamespace $script:ns { $l = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 18470); $l.Start(); $l }
        $script:outer = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 18470); $script:outer.Start()
        $null = [NtHttpResponder]::Serve($script:inner, 'inside'), [NtHttpResponder]::Serve($script:outer, 'caller')
    }
    AfterAll {
        $script:inner.Stop(); $script:outer.Stop()
        Remove-TestNamespace -Name $script:ns
    }

    It 'reaches the namespace''s server, not the caller''s, with Invoke-WebRequest and Invoke-RestMethod' {
        Invoke-InNetNamespace $script:ns { (Invoke-WebRequest http://127.0.0.1:18470/ -TimeoutSec 5).Content } | Should -Be 'inside'
        Invoke-InNetNamespace $script:ns { Invoke-RestMethod http://localhost:18470/ -TimeoutSec 5 } | Should -Be 'inside'
        (Invoke-WebRequest http://127.0.0.1:18470/ -TimeoutSec 5).Content | Should -Be 'caller'
    }

    It 'gives HttpClient users a handler that connects from inside' {
        Invoke-InNetNamespace $script:ns {
            $ns = [NetNs.Core.NamespaceHandle]::OpenCurrent()
            $client = [Net.Http.HttpClient]::new([NetNs.Core.NamespaceSockets]::CreateHttpHandler($ns))
            try { $client.GetStringAsync('http://127.0.0.1:18470/').GetAwaiter().GetResult() } finally { $client.Dispose(); $ns.Dispose() }
        } | Should -Be 'inside'
    }
}
