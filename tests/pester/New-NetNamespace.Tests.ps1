BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'New-NetNamespace' {
    BeforeEach { $script:names = [Collections.Generic.List[string]]::new() }
    AfterEach { Remove-TestNamespace -Name $script:names }

    It 'creates a namespace that ip netns sees, and returns it' {
        $n = New-TestName; $script:names.Add($n)
        $ns = New-NetNamespace -Name $n
        $ns.Name | Should -Be $n
        $ns.Path | Should -Be "/run/netns/$n"
        $ns.ToString() | Should -Be $n
        (& ip netns list) -join "`n" | Should -Match "(?m)^$n(\s|$)"
        $ns.Inode | Should -Be ([uint64](& stat -L -c %i "/run/netns/$n"))
    }

    It 'brings the loopback up, so the namespace reaches its own addresses; -LoopbackDown leaves it as ip netns add does' {
        $up, $down = New-TestName -Count 2; $script:names.Add($up); $script:names.Add($down)
        New-NetNamespace -Name $up | Out-Null
        New-NetNamespace -Name $down -LoopbackDown | Out-Null
        (& ip -n $up -j link show lo | ConvertFrom-Json).flags | Should -Contain 'UP'
        (& ip -n $down -j link show lo | ConvertFrom-Json).flags | Should -Not -Contain 'UP'
        (Test-NetNsConnection -Namespace $up -TargetAddress 127.0.0.1 -Count 1).Status | Should -Be 'Success'
    }

    It 'takes names from the pipeline' {
        $a, $b = New-TestName -Count 2; $script:names.AddRange([string[]]@($a, $b))
        $out = $a, $b | New-NetNamespace
        $out.Name | Should -Be @($a, $b)
        Test-TestNamespace $a | Should -BeTrue
        Test-TestNamespace $b | Should -BeTrue
    }

    It 'writes one NamespaceExists error per duplicate and goes on with the rest' {
        $a, $b = New-TestName -Count 2; $script:names.AddRange([string[]]@($a, $b))
        $out = $a, $a, $b | New-NetNamespace -ErrorVariable ev -ErrorAction SilentlyContinue
        $out.Name | Should -Be @($a, $b)
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'NamespaceExists,NetNs.Cmdlets.NewNetNamespaceCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $ev[0].TargetObject | Should -Be $a
        $ev[0].Exception.Message | Should -BeLike "*'$a' already exists*"
        Test-TestNamespace $b | Should -BeTrue
    }

    It 'throws NamespaceExists with -ErrorAction Stop' {
        $n = New-TestNamespace; $script:names.Add($n)
        { New-NetNamespace -Name $n -ErrorAction Stop } |
            Should -Throw -ErrorId 'NamespaceExists,NetNs.Cmdlets.NewNetNamespaceCommand'
    }

    It 'rejects the invalid name <Bad> with InvalidArgument and creates nothing' -ForEach @(
        @{ Bad = 'a/b' }, @{ Bad = '..' }, @{ Bad = '.' }, @{ Bad = 'nt-wild*' }, @{ Bad = 'nt-space ' }, @{ Bad = 'nt:colon' }
    ) {
        $stem = New-TestName; $script:names.Add($stem)
        $name = if ($Bad -eq 'a/b') { "$stem/b" } else { $Bad }
        # Other suites may add namespaces meanwhile: compare the mounts on /run and /run/netns themselves.
        $runMounts = { @(Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -in '/run', '/run/netns' }).Count }
        $before = & $runMounts
        { New-NetNamespace -Name $name -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,*'
        $err = $null; New-NetNamespace -Name $name -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].TargetObject | Should -Be $name
        Test-Path -LiteralPath "/run/netns/$stem" | Should -BeFalse
        & $runMounts | Should -Be $before
    }

    It 'creates nothing with -WhatIf' {
        $n = New-TestName; $script:names.Add($n)
        New-NetNamespace -Name $n -WhatIf | Should -BeNullOrEmpty
        Test-TestNamespace $n | Should -BeFalse
        $list = & ip netns list
        $LASTEXITCODE | Should -Be 0 -Because 'ip netns list must work for its output to say anything'
        $list -join "`n" | Should -Not -Match $n
    }

    It 'names the namespace of a process with -ProcessId (ip netns attach)' {
        $src = New-TestNamespace; $n = New-TestName; $script:names.AddRange([string[]]@($src, $n))
        $p = Start-SleeperInNamespace -Namespace $src
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(5)
            while ((& readlink "/proc/$($p.Id)/ns/net") -ne "net:[$(& stat -L -c %i /run/netns/$src)]" -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }
            $ns = New-NetNamespace -Name $n -ProcessId $p.Id
            $ns.Name | Should -Be $n
            & stat -L -c %i "/run/netns/$n" | Should -Be (& stat -L -c %i "/run/netns/$src")
        }
        finally { Stop-Process -Id $p.Id -ErrorAction SilentlyContinue }
    }

    It 'names the namespace pinned by a file with -Path' {
        $src = New-TestNamespace; $n = New-TestName; $script:names.AddRange([string[]]@($src, $n))
        $ns = New-NetNamespace -Name $n -Path "/run/netns/$src"
        $ns.Inode | Should -Be ([uint64](& stat -L -c %i "/run/netns/$src"))
        & stat -L -c %i "/run/netns/$n" | Should -Be (& stat -L -c %i "/run/netns/$src")
    }

    It 'rejects two names with -Path' {
        $src = New-TestNamespace; $a, $b = New-TestName -Count 2; $script:names.AddRange([string[]]@($src, $a, $b))
        { New-NetNamespace -Name $a, $b -Path "/run/netns/$src" -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,*'
        Test-TestNamespace $a | Should -BeFalse
    }

    It 'returns an object that converts to small, finite JSON' {
        $n = New-TestName; $script:names.Add($n)
        $json = New-NetNamespace -Name $n | ConvertTo-Json
        $json.Length | Should -BeLessThan 4096
        ($json | ConvertFrom-Json).Name | Should -Be $n
    }
}

Describe 'New-NetNamespace with an object that carries a namespace' {
    BeforeAll { $script:src = New-TestNamespace }
    AfterAll { Remove-TestNamespace -Name $script:src }

    It 'names the piped namespace (ip netns attach) instead of making a new, empty one' {
        $n = New-TestName
        try {
            $made = [pscustomobject]@{ Name = $n; Namespace = "/run/netns/$($script:src)" } | New-NetNamespace
            $made.Name | Should -Be $n
            (& stat -L -c %i "/run/netns/$n") | Should -Be (& stat -L -c %i "/run/netns/$($script:src)")
            Remove-NetNamespace $n -Confirm:$false
            Test-Path "/run/netns/$($script:src)" | Should -BeTrue   # only the name went
        } finally { Remove-TestNamespace -Name $n }
    }

    It 'fails clearly for a NetNamespace piped back in under its own name' {
        $err = $null
        Get-NetNamespace $script:src | New-NetNamespace -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'NamespaceExists,NetNs.Cmdlets.NewNetNamespaceCommand'
    }

    It 'still makes new namespaces from plain names' {
        $n = New-TestName
        try {
            $n | New-NetNamespace | Out-Null
            (& stat -L -c %i "/run/netns/$n") | Should -Not -Be (& stat -L -c %i "/run/netns/$($script:src)")
        } finally { Remove-TestNamespace -Name $n }
    }
}
