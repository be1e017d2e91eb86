BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Get-NetNamespace' {
    BeforeAll {
        # Two namespaces sharing a unique 7-hex stem, so a wildcard can match exactly them.
        $script:stem = (New-TestName).Substring(0, 10)
        $script:a = "$($script:stem)a"; $script:b = "$($script:stem)b"
        foreach ($n in $script:a, $script:b) { & ip netns add $n }
    }
    AfterAll { Remove-TestNamespace -Name $script:a, $script:b }

    It 'lists namespaces created by ip netns add' {
        $all = Get-NetNamespace
        $all.Name | Should -Contain $script:a
        $all.Name | Should -Contain $script:b
    }

    It 'gets one namespace by name, with the inode of its file' {
        $ns = Get-NetNamespace -Name $script:a
        @($ns).Count | Should -Be 1
        $ns.Path | Should -Be "/run/netns/$($script:a)"
        $ns.Inode | Should -Be ([uint64](& stat -L -c %i "/run/netns/$($script:a)"))
        "$ns" | Should -Be $script:a
    }

    It 'matches wildcards' {
        (Get-NetNamespace "$($script:stem)*").Name | Sort-Object | Should -Be @($script:a, $script:b)
    }

    It 'writes nothing and no error for a wildcard that matches nothing' {
        Get-NetNamespace "$($script:stem)z*" -ErrorVariable ev | Should -BeNullOrEmpty
        $ev | Should -BeNullOrEmpty
    }

    It 'writes NamespaceNotFound for a missing name and still returns the others' {
        $missing = New-TestName
        $out = Get-NetNamespace -Name $missing, $script:a -ErrorVariable ev -ErrorAction SilentlyContinue
        $out.Name | Should -Be $script:a
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'NamespaceNotFound,NetNs.Cmdlets.GetNetNamespaceCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].TargetObject | Should -Be $missing
        $ev[0].Exception.Message | Should -BeLike "*'$missing' not found*"
    }

    It 'takes names from the pipeline' {
        ($script:a, $script:b | Get-NetNamespace).Name | Should -Be @($script:a, $script:b)
    }

    It 'tells which named namespace a process is in (-ProcessId, and Get-Process by Id)' {
        $p = Start-SleeperInNamespace -Namespace $script:b
        try {
            $inode = & stat -L -c %i "/run/netns/$($script:b)"
            $deadline = [DateTime]::UtcNow.AddSeconds(5)
            while ((& readlink "/proc/$($p.Id)/ns/net") -ne "net:[$inode]" -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }
            $ns = Get-NetNamespace -ProcessId $p.Id
            $ns.Name | Should -Be $script:b
            $ns.ProcessId | Should -Be $p.Id
            (Get-Process -Id $p.Id | Get-NetNamespace).Name | Should -Be $script:b
        }
        finally { Stop-Process -Id $p.Id -ErrorAction SilentlyContinue }
    }

    It 'shows a table with the view''s column headers' {
        $text = Get-NetNamespace -Name $script:a | Format-Table | Out-String
        foreach ($h in 'Name', 'State', 'Inode', 'Path') { $text | Should -Match "\b$h\b" }
        $text | Should -Match ([regex]::Escape($script:a))
        Get-FormatData -TypeName NetNs.Core.NetNamespace | Should -Not -BeNullOrEmpty
    }

    It 'completes -Name and -Namespace with test namespaces' {
        Get-TabCompletion "Get-NetNamespace -Name $($script:stem)" | Should -Be @($script:a, $script:b)
        Get-TabCompletion "Get-NetNsLink -Namespace $($script:stem)" | Should -Be @($script:a, $script:b)
    }
}

# What a kill -9 between creating /run/netns/NAME and binding the namespace onto it leaves: an empty file, mode 0.
Describe 'Namespaces left stale by a crashed creation' {
    BeforeEach {
        $script:n = New-TestName
        New-Item -ItemType File -Path "/run/netns/$($script:n)" | Out-Null
        & chmod 000 "/run/netns/$($script:n)"
    }
    AfterEach {
        & ip netns delete $script:n 2>$null
        Remove-Item -LiteralPath "/run/netns/$($script:n)" -Force -ErrorAction SilentlyContinue
    }

    It 'are listed with State Stale, as ip netns list shows them' {
        (& ip netns list) -join "`n" | Should -Match ([regex]::Escape($script:n))
        $s = Get-NetNamespace -Name $script:n
        $s.State | Should -Be 'Stale'
        ($s | Format-Table | Out-String -Width 80) | Should -Match '\(stale\)'
    }

    It 'are removed from the pipeline by Remove-NetNamespace' {
        Get-NetNamespace | Where-Object State -EQ Stale | Where-Object Name -EQ $script:n | Remove-NetNamespace -Confirm:$false
        Test-Path "/run/netns/$($script:n)" | Should -BeFalse
    }

    It 'are taken over by New-NetNamespace of the same name' {
        $made = New-NetNamespace -Name $script:n
        $made.State | Should -Be 'Active'
        (Get-NetNsLink -Namespace $script:n).Name | Should -Be 'lo'
    }

    It 'are not taken over when the file is not what a crash leaves (not empty, or not mode 0)' {
        & chmod 644 "/run/netns/$($script:n)"
        { New-NetNamespace -Name $script:n -ErrorAction Stop } | Should -Throw -ErrorId 'NamespaceExists,NetNs.Cmdlets.NewNetNamespaceCommand'
    }
}
