BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

# What comes back from a block, and what a block is given. Every name a test acts on exists only in its own
# namespace, so a regression that acted on the caller's namespace would find nothing there to change.
Describe 'Objects made inside Invoke-InNetNamespace' {
    BeforeAll {
        $script:a = New-TestNamespace
        $script:br = 'nt-' + $script:a.Substring(3, 6) + 'b'
        & ip -n $script:a link add $script:br type bridge
        & ip -n $script:a addr add 198.18.61.1/24 dev $script:br
    }
    AfterAll { Remove-TestNamespace -Name $script:a }

    It 'say which namespace they live in (links, addresses, routes, sysctls)' {
        $link, $addr, $sysctl = Invoke-InNetNamespace $script:a {
            Get-NetNsLink -Name $using:script:br
            Get-NetNsAddress -InterfaceAlias $using:script:br -AddressFamily IPv4
            Get-NetNsSysctl -Key net.ipv4.ip_forward
        }
        $link.Namespace | Should -Be $script:a
        $addr.Namespace | Should -Be $script:a
        $sysctl.Namespace | Should -Be $script:a
        (Invoke-InNetNamespace $script:a { Get-NetNsLink -Namespace $using:script:a -Name lo }).Namespace | Should -Be $script:a
    }

    It 'act on their own namespace when piped on, never on the caller''s' {
        $link = Invoke-InNetNamespace $script:a { Get-NetNsLink -Name $using:script:br }
        $link | Set-NetNsLink -Up -ErrorAction Stop
        (& ip -n $script:a -j link show $script:br | ConvertFrom-Json).flags | Should -Contain 'UP'
        $addr = Invoke-InNetNamespace $script:a { Get-NetNsAddress -InterfaceAlias $using:script:br -AddressFamily IPv4 }
        $addr | Remove-NetNsAddress -Confirm:$false -ErrorAction Stop
        (& ip -n $script:a -j addr show dev $script:br | ConvertFrom-Json).addr_info.local | Should -Not -Contain '198.18.61.1'
    }

    It 'say which namespace a probe ran from' {
        & ip -n $script:a link set lo up
        $r = Invoke-InNetNamespace $script:a { Test-NetNsConnection -TargetAddress 127.0.0.1 -Count 1 }
        $r.Namespace | Should -Be $script:a
        $r.Status | Should -Be 'Success'
    }
}

Describe 'What Invoke-InNetNamespace gives a block' {
    BeforeAll { $script:a = New-TestNamespace }
    AfterAll { Remove-TestNamespace -Name $script:a }

    It 'resolves $using: in blocks nested in the block (the help''s example 3)' {
        $port = 8080
        1..3 | Invoke-InNetNamespace $script:a { $input | ForEach-Object { "198.18.7.$_`:$using:port" } } |
            Should -Be '198.18.7.1:8080', '198.18.7.2:8080', '198.18.7.3:8080'
    }

    It 'leaves a $using: inside a nested Start-Job to the job' {
        $port = 8080
        Invoke-InNetNamespace $script:a { $port = 9090; Start-Job { "$using:port" } | Receive-Job -Wait -AutoRemoveJob } | Should -Be '9090'
    }

    It 'passes -ArgumentList $null as one $null argument to a block and none to a program' {
        Invoke-InNetNamespace $script:a { "$($args.Count):$($null -eq $args[0])" } -ArgumentList $null | Should -Be '1:True'
        Invoke-InNetNamespace $script:a -FilePath echo -ArgumentList $null | Should -Be ''
        Invoke-InNetNamespace $script:a -FilePath echo -ArgumentList 'a', $null, 'b' | Should -Be 'a b'
    }

    It 'runs a .ps1 file given to -FilePath as a script, relative to the caller''s location, with -ArgumentList' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) (New-TestName)
        New-Item -ItemType Directory $dir | Out-Null
        try {
            Set-Content (Join-Path $dir 'inside.ps1') 'param($x) "$x " + ((Get-ChildItem /sys/class/net).Name -join ",")'
            Push-Location $dir
            try { Invoke-InNetNamespace $script:a -FilePath ./inside.ps1 -ArgumentList 'links:' | Should -Be 'links: lo' }
            finally { Pop-Location }
            { Invoke-InNetNamespace $script:a -FilePath (Join-Path $dir 'missing.ps1') -ErrorAction Stop } |
                Should -Throw -ErrorId 'ScriptFileNotFound,NetNs.Cmdlets.InvokeInNetNamespaceCommand'
        } finally { Remove-Item -Recurse -Force $dir }
    }

    It 'sees /etc/netns/NAME as it is now, on every call (added, replaced and removed files)' {
        $etc = "/etc/netns/$($script:a)"
        $hadEtcNetns = Test-Path /etc/netns
        $first = Invoke-InNetNamespace $script:a { Get-Content /etc/hosts } # a warm host, made before the file
        try {
            New-Item -ItemType Directory $etc -Force | Out-Null
            Set-Content "$etc/hosts" '198.18.62.1 nt-first'
            Invoke-InNetNamespace $script:a { Get-Content /etc/hosts } | Should -Be '198.18.62.1 nt-first'
            Set-Content "$etc/hosts.new" '198.18.62.2 nt-second'
            Move-Item -Force "$etc/hosts.new" "$etc/hosts" # a new file in its place, as editors save
            Invoke-InNetNamespace $script:a { Get-Content /etc/hosts } | Should -Be '198.18.62.2 nt-second'
            Remove-Item -Recurse -Force $etc
            Invoke-InNetNamespace $script:a { Get-Content /etc/hosts } | Should -Be $first
        } finally {
            Remove-Item -Recurse -Force -LiteralPath $etc -ErrorAction SilentlyContinue
            if (-not $hadEtcNetns) { Remove-Item /etc/netns -ErrorAction SilentlyContinue }
        }
    }
}

Describe 'Enter-NetNamespace -ArgumentList' {
    BeforeAll { $script:a = New-TestNamespace }
    AfterAll { Remove-TestNamespace -Name $script:a }

    It 'leaves $null arguments out instead of failing' {
        $file = Join-Path ([IO.Path]::GetTempPath()) (New-TestName)
        try {
            Enter-NetNamespace $script:a -Shell sh -ArgumentList '-c', "ls /sys/class/net > '$file'", $null
            Get-Content $file | Should -Be 'lo'
        } finally { Remove-Item -Force -ErrorAction SilentlyContinue $file }
    }
}

Describe 'Invoke-InNetNamespace -Isolated' {
    BeforeAll {
        $script:a = New-TestNamespace
        $script:br = 'nt-' + $script:a.Substring(3, 6) + 'i'
        & ip -n $script:a link add $script:br type bridge
    }
    AfterAll { Remove-TestNamespace -Name $script:a }

    It 'runs the block in a child process inside the namespace, with arguments, $using:, $input, streams and the exit code' {
        $x = 'outer'
        $warnings = $null
        $out = 1..2 | Invoke-InNetNamespace $script:a -Isolated {
            param($p)
            "$p $using:x $PID $((Get-ChildItem /sys/class/net).Name -join ',') $(@($input) -join '+')"
            Write-Warning 'inside'
            ip link show nt-none 2>$null
        } -ArgumentList 'arg' -WarningVariable warnings -WarningAction SilentlyContinue
        $p, $u, $childPid, $links, $in = "$out" -split ' '
        "$p $u" | Should -Be 'arg outer'
        [int]$childPid | Should -Not -Be $PID
        ($links -split ',' | Sort-Object) | Should -Be (@('lo', $script:br) | Sort-Object)
        $in | Should -Be '1+2'
        "$warnings" | Should -Be 'inside'
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'brings back objects that name the namespace and act on it when piped on' {
        $link = Invoke-InNetNamespace $script:a -Isolated { Get-NetNsLink -Name $using:script:br }
        $link.PSObject.TypeNames[0] | Should -Be 'Deserialized.NetNs.Core.NetNsLink'
        $link.Namespace | Should -Be $script:a
        $link | Set-NetNsLink -Up -ErrorAction Stop
        (& ip -n $script:a -j link show $script:br | ConvertFrom-Json).flags | Should -Contain 'UP'
    }
}
