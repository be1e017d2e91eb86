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
