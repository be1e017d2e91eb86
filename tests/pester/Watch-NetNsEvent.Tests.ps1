BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Watch-NetNsEvent' {
    BeforeAll { $script:a = New-TestNamespace }
    AfterAll { Remove-TestNamespace -Name $script:a }

    It 'writes the namespace''s changes as they happen, and stops at -Timeout' {
        $ns = $script:a
        $job = Start-ThreadJob { param($ns) Start-Sleep -Milliseconds 800; ip -n $ns link add nt-wt0 type bridge; ip -n $ns addr add 198.18.72.1/24 dev nt-wt0; ip -n $ns link del nt-wt0 } -ArgumentList $ns
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $events = Watch-NetNsEvent $ns -Timeout 00:00:03
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 6
        $job | Receive-Job -Wait -AutoRemoveJob
        $events | Where-Object { $_.Kind -eq 'Link' -and $_.Name -eq 'nt-wt0' } | ForEach-Object Action | Select-Object -First 1 | Should -Be 'New'
        ($events | Where-Object { $_.Kind -eq 'Address' -and $_.Action -eq 'New' }).Name | Should -Contain '198.18.72.1/24'
        ($events | Where-Object { $_.Kind -eq 'Link' -and $_.Action -eq 'Deleted' }).Name | Should -Contain 'nt-wt0'
        $events.Namespace | Select-Object -Unique | Should -Be $ns
        ($events | Format-Table | Out-String -Width 80) | Should -Match 'Address\s+New\s+2: nt-wt0 inet 198\.18\.72\.1/24'
    }

    It 'writes what is there first with -Initial, and ends when the pipeline has what it wants' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $first = Watch-NetNsEvent -Namespace $script:a -Initial -Kind Link | Select-Object -First 1
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 3
        $first.Action | Should -Be 'Present'
        $first.Name | Should -Be 'lo'
        $first.Object.GetType().Name | Should -Be 'NetNsLink'
    }

    It 'sees a namespace added and deleted at once, as ip netns monitor does' {
        $name = New-TestName
        $job = Start-ThreadJob { param($n) Start-Sleep -Milliseconds 500; ip netns add $n; ip netns del $n } -ArgumentList $name
        $events = Watch-NetNsEvent -Kind Namespace -Timeout 00:00:02 | Where-Object Name -eq $name
        $job | Receive-Job -Wait -AutoRemoveJob
        $events.Action | Should -Be 'New', 'Deleted'
    }

    It 'reports a namespace that does not exist as NamespaceNotFound' {
        { Watch-NetNsEvent -Namespace (New-TestName) -Timeout 00:00:01 -ErrorAction Stop } |
            Should -Throw -ErrorId 'NamespaceNotFound,NetNs.Cmdlets.WatchNetNsEventCommand'
    }
}

Describe 'Watch-NetNsEvent as an event source' {
    BeforeAll {
        $script:a = New-TestNamespace
        & ip -n $script:a link add nt-es0 type bridge
        & ip -n $script:a link set nt-es0 up
        # The threads of this process named by the watch (comm: "netns-monitor", "netns-event-sou"). A joined thread's
        # task lingers for a moment while the OS thread exits: -Expect looks again, for up to 2 s, until the count is that.
        function script:Get-WatchThread([int]$Expect = -1) {
            $deadline = [DateTime]::UtcNow.AddSeconds(2)
            do {
                $names = @(Get-ChildItem "/proc/$PID/task" | ForEach-Object { try { (Get-Content -LiteralPath "$($_.FullName)/comm" -ErrorAction Stop) } catch { } } |
                    Where-Object { $_ -like 'netns-monitor*' -or $_ -eq 'netns-event-sou' })
                if ($Expect -lt 0 -or $names.Count -eq $Expect) { break }
                Start-Sleep -Milliseconds 20
            } while ([DateTime]::UtcNow -lt $deadline)
            $names
        }
    }
    AfterAll {
        Get-EventSubscriber | Where-Object SourceIdentifier -like 'nt-*' | Unregister-Event
        Remove-TestNamespace -Name $script:a
    }

    It 'queues a link going down for Wait-Event, and Unregister-Event stops the watch and its threads' {
        $id = New-TestName
        $before = (Get-WatchThread -Expect 0).Count   # those of the tests before have gone
        $out = Watch-NetNsEvent $script:a -Kind Link -SourceIdentifier $id
        $out | Should -BeNullOrEmpty
        (Get-EventSubscriber -SourceIdentifier $id).SourceObject.GetType().Name | Should -Be 'NetNsEventSource'
        (Get-WatchThread).Count | Should -Be ($before + 2)
        & ip -n $script:a link set nt-es0 down
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $got = $null
        while (-not $got -and $sw.Elapsed.TotalSeconds -lt 10) {
            $e = Wait-Event -SourceIdentifier $id -Timeout 5
            if (-not $e) { break }
            $e | Remove-Event
            if ($e.SourceEventArgs.Event.Name -eq 'nt-es0' -and $e.SourceEventArgs.Event.Object.State -eq 'Down') { $got = $e }
        }
        $got | Should -Not -BeNullOrEmpty
        $got.SourceEventArgs.Event.Namespace | Should -Be $script:a
        $got.SourceIdentifier | Should -Be $id

        Unregister-Event -SourceIdentifier $id
        Get-EventSubscriber -SourceIdentifier $id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-WatchThread -Expect $before).Count | Should -Be $before
        & ip -n $script:a link set nt-es0 up
        Wait-Event -SourceIdentifier $id -Timeout 1 | Should -BeNullOrEmpty
    }

    It 'runs an -Action for each change, with the change in $EventArgs and -MessageData in $Event' {
        $id = New-TestName
        $job = Watch-NetNsEvent $script:a -Kind Link -SourceIdentifier $id -MessageData 'lab-1' -Action {
            if ($EventArgs.Event.Name -eq 'nt-es0') { '{0} {1} {2}' -f $Event.MessageData, $EventArgs.Event.Name, $EventArgs.Event.Object.State }
        }
        try {
            $job | Should -BeOfType System.Management.Automation.PSEventJob
            & ip -n $script:a link set nt-es0 down
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $lines = @()
            while ($lines -notcontains 'lab-1 nt-es0 Down' -and $sw.Elapsed.TotalSeconds -lt 10) {
                Start-Sleep -Milliseconds 200
                $lines += @($job | Receive-Job)
            }
            $lines | Should -Contain 'lab-1 nt-es0 Down'
        }
        finally {
            Unregister-Event -SourceIdentifier $id
            & ip -n $script:a link set nt-es0 up
        }
    }

    It 'hands its changes to Register-EngineEvent on the same source identifier' {
        $id = New-TestName
        Watch-NetNsEvent $script:a -Kind Link -SourceIdentifier $id
        $job = Register-EngineEvent -SourceIdentifier $id -Action { $Event.SourceEventArgs.Event.Summary }
        try {
            & ip -n $script:a link set nt-es0 down
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $lines = @()
            while (-not ($lines -match 'nt-es0') -and $sw.Elapsed.TotalSeconds -lt 10) {
                Start-Sleep -Milliseconds 200
                $lines += @($job | Receive-Job)
            }
            $lines -match '^\d+: nt-es0: <BROADCAST,MULTICAST>' | Should -Not -BeNullOrEmpty
        }
        finally {
            Get-EventSubscriber -SourceIdentifier $id | Unregister-Event
            & ip -n $script:a link set nt-es0 up
        }
    }

    It 'refuses a source identifier already in use, and starts nothing' {
        $id = New-TestName
        $timer = [Timers.Timer]::new(60000)
        Register-ObjectEvent $timer Elapsed -SourceIdentifier $id
        try {
            $before = (Get-WatchThread -Expect 0).Count
            { Watch-NetNsEvent $script:a -SourceIdentifier $id -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.WatchNetNsEventCommand'
            (Get-WatchThread -Expect $before).Count | Should -Be $before
        }
        finally { Unregister-Event -SourceIdentifier $id; $timer.Dispose() }
    }

    It 'cannot be given -Timeout with -Action (the background watch runs until Unregister-Event)' {
        { Watch-NetNsEvent $script:a -Action { } -Timeout 00:00:01 } | Should -Throw -ErrorId 'AmbiguousParameterSet,NetNs.Cmdlets.WatchNetNsEventCommand'
    }
}
