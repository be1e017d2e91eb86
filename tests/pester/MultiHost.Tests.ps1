# Labs across hosts (issue 23), on the fixture's two "hosts" (namespaces with their own /run/netns and sshd): the
# issue's definition deployed over PowerShell remoting (SSH), its network carried between the hosts by VXLAN.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
    Import-Module (Join-Path $PSScriptRoot '../fixtures/hosts/NetNsHosts.psm1') -Force
    $script:set = New-TestHostSet -Count 2 -ModuleDirectory (Split-Path (Split-Path (Get-NetNsModulePath)))
    $script:lab = 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
    $script:hosts = @{ a = $script:set.Hosts[0].Definition; b = $script:set.Hosts[1].Definition }
    function New-SpanDefinition([string]$Name = $script:lab, [switch]$WithH3) {
        $nodes = @{ r1 = @{ Host = 'a'; Forwarding = $true }; h1 = @{ Host = 'a' }; h2 = @{ Host = 'b' } }
        $members = @('r1', 'h1', 'h2')
        if ($WithH3) { $nodes.h3 = @{ Host = 'b' }; $members += 'h3' }
        @{
            Name     = $Name
            Hosts    = $script:hosts
            Nodes    = $nodes
            Networks = @{ lan = @{ Subnet = '198.18.40.0/24'; Members = $members; Gateway = 'r1' } }
        }
    }
    $script:def = New-SpanDefinition
    $pa = $script:set.Hosts[0].SessionParameters; $pb = $script:set.Hosts[1].SessionParameters
    $script:sa = New-PSSession @pa -ErrorAction Stop
    $script:sb = New-PSSession @pb -ErrorAction Stop
    # The lab's namespaces on a host, with their namespace inodes (same inode: the very same namespace).
    function Get-HostLab($Session, [string]$Lab) {
        Invoke-Command -Session $Session -HideComputerName {
            param($lab)
            foreach ($f in @(Get-ChildItem -LiteralPath /run/netns -Filter "$lab-*" -ErrorAction SilentlyContinue)) {
                [pscustomobject]@{ Name = $f.Name; Inode = [string](& stat -L -c %i $f.FullName) }
            }
        } -ArgumentList $Lab | Sort-Object Name
    }
}

AfterAll {
    try { Remove-NetNsLab -Definition $script:def -Confirm:$false -ErrorAction SilentlyContinue } catch { }
    foreach ($s in @($script:sa, $script:sb)) { if ($s) { Remove-PSSession $s -ErrorAction SilentlyContinue } }
    Remove-TestHostSet $script:set
}

Describe 'A link between hosts' {
    BeforeAll {
        $script:lk = 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
        # x on host a, y on host b, one point-to-point link between them with each end's own interface name
        $script:lkDef = @{
            Name  = $script:lk
            Hosts = $script:hosts
            Nodes = @{ x = @{ Host = 'a' }; y = @{ Host = 'b' } }
            Links = @( @{ Endpoints = 'x:p0', 'y:q0'; Subnet = '198.18.45.0/30' } )
        }
    }
    AfterAll { Remove-NetNsLab -Definition $script:lkDef -Confirm:$false -ErrorAction SilentlyContinue }

    It 'is carried by VXLAN: each end keeps its interface and address, and they reach each other at full MTU' {
        Deploy-NetNsLab -Definition $script:lkDef -Confirm:$false | Out-Null
        (Get-HostLab $script:sa $script:lk).Name | Should -Be @("$($script:lk)-ln0", "$($script:lk)-x")
        (Get-HostLab $script:sb $script:lk).Name | Should -Be @("$($script:lk)-ln0", "$($script:lk)-y")
        $q0 = Invoke-Command -Session $script:sb -HideComputerName { param($ns) Get-NetNsAddress -Namespace $ns -InterfaceAlias q0 -AddressFamily IPv4 } -ArgumentList "$($script:lk)-y"
        $q0.IPAddress | Should -Be '198.18.45.2'
        $r = @(Test-NetNsLab -Definition $script:lkDef -Count 2)
        $r.Count | Should -Be 2
        $r | Where-Object { -not $_.Success } | ForEach-Object { "$($_.From) -> $($_.Address): $($_.Status)" } | Should -BeNullOrEmpty
        $code = Invoke-Command -Session $script:sb { param($ns) $null = & ip netns exec $ns ping -c 1 -W 2 -M do -s 1422 198.18.45.1; $LASTEXITCODE } -ArgumentList "$($script:lk)-y"
        $code | Should -Be 0
        @(Deploy-NetNsLab -Definition $script:lkDef -WhatIf).Count | Should -Be 0
    }

    It 'Remove-NetNsLab -Definition leaves both hosts empty' {
        Remove-NetNsLab -Definition $script:lkDef -Confirm:$false
        Get-HostLab $script:sa $script:lk | Should -BeNullOrEmpty
        Get-HostLab $script:sb $script:lk | Should -BeNullOrEmpty
    }
}

Describe 'Nodes without a Host sharing a network and a link with a node on a host' {
    BeforeAll {
        # Deployed from host a (its pwsh, over the session): there "this machine" has an address on the hosts' network,
        # and the test touches no root namespace. l1 and l2 have no Host (they live on a), h2 lives on host b.
        $script:mixed = 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
        $b = $script:set.Hosts[1].Definition
        # from host a, b is reached directly (the fixture's ProxyCommand is for the root namespace's client)
        $bFromA = @{ HostName = $b.HostName; UserName = $b.UserName; KeyFilePath = $b.KeyFilePath; Port = $b.Port
            Options = @{ UserKnownHostsFile = $b.Options.UserKnownHostsFile; StrictHostKeyChecking = 'yes' } }
        $script:mixedDef = @{
            Name     = $script:mixed
            Hosts    = @{ b = $bFromA }
            Nodes    = @{ l1 = @{ Forwarding = $true }; l2 = @{}; h2 = @{ Host = 'b' } }
            Networks = @{ lan = @{ Subnet = '198.18.41.0/24'; Members = 'l1', 'l2', 'h2'; Gateway = 'l1' } }
            Links    = @( @{ Endpoints = 'l2:p0', 'h2:q0'; Subnet = '198.18.46.0/30' } )
        }
    }
    AfterAll {
        Invoke-Command -Session $script:sa { param($d) Remove-NetNsLab -Definition $d -Confirm:$false -ErrorAction SilentlyContinue } -ArgumentList $script:mixedDef
    }

    It 'lives where Deploy-NetNsLab runs, joined to host b by VXLAN from that machine''s own address, and every pair answers' {
        $r = Invoke-Command -Session $script:sa -HideComputerName {
            param($d)
            Deploy-NetNsLab -Definition $d -Confirm:$false | Out-Null
            $vx = & ip -j -d -n "$($d.Name)-lan" link show type vxlan | ConvertFrom-Json
            [pscustomobject]@{
                Local = $vx.linkinfo.info_data.local
                Cells = @(Test-NetNsLab -Definition $d -Count 2 | ForEach-Object { "$($_.From) -> $($_.Address): $($_.Status)" })
            }
        } -ArgumentList $script:mixedDef
        $m = $script:mixed
        (Get-HostLab $script:sa $m).Name | Should -Be @("$m-l1", "$m-l2", "$m-lan", "$m-ln0")
        (Get-HostLab $script:sb $m).Name | Should -Be @("$m-h2", "$m-lan", "$m-ln0")
        $r.Local | Should -Be $script:set.Hosts[0].Address
        $r.Cells | Should -Contain 'h2 -> 198.18.41.1: Success' # to l1's bridge on a, through the VXLAN
        $r.Cells | Should -Contain 'h2 -> 198.18.46.1: Success' # the link's far end
        $r.Cells | Where-Object { $_ -notmatch ': Success$' } | Should -BeNullOrEmpty
    }

    It 'Remove-NetNsLab -Definition there leaves both machines empty' {
        Invoke-Command -Session $script:sa { param($d) Remove-NetNsLab -Definition $d -Confirm:$false } -ArgumentList $script:mixedDef
        Get-HostLab $script:sa $script:mixed | Should -BeNullOrEmpty
        Get-HostLab $script:sb $script:mixed | Should -BeNullOrEmpty
    }
}

Describe 'Ctrl+C during a matrix across hosts' {
    BeforeAll {
        $script:cc = 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
        $script:ccDef = @{ Name = $script:cc; Hosts = $script:hosts; Nodes = @{ x = @{ Host = 'a' }; y = @{ Host = 'b' } }
            Networks = @{ lan = @{ Subnet = '198.18.47.0/24'; Members = 'x', 'y' } } }
        Deploy-NetNsLab -Definition $script:ccDef -Confirm:$false | Out-Null
    }
    AfterAll { Remove-NetNsLab -Definition $script:ccDef -Confirm:$false -ErrorAction SilentlyContinue }

    It 'stops Test-NetNsLab promptly while host b waits on its echoes, and the next call works' {
        # y's link partitioned on host b: every echo waits its 5 s timeout there
        Invoke-Command -Session $script:sb { param($ns) Set-NetNsLinkImpairment -Namespace $ns -Name lan -Partition } -ArgumentList "$($script:cc)-y"
        $ps = [powershell]::Create()
        try {
            [void]$ps.AddScript("Import-Module '$(Get-NetNsModulePath)'").AddStatement().AddScript('param($d) Test-NetNsLab -Definition $d -Count 3 -TimeoutSeconds 5').AddArgument($script:ccDef)
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 2500
            $async.IsCompleted | Should -BeFalse
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.ElapsedMilliseconds | Should -BeLessThan 3000
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose() }
        # the session b was busy in is not kept: the next matrix runs, and sees the partition
        Invoke-Command -Session $script:sb { param($ns) Clear-NetNsLinkImpairment -Namespace $ns -Name lan } -ArgumentList "$($script:cc)-y"
        $r = @(Test-NetNsLab -Definition $script:ccDef -Count 1)
        $r.Count | Should -Be 2
        $r | Where-Object { -not $_.Success } | ForEach-Object { "$($_.From) -> $($_.Address): $($_.Status)" } | Should -BeNullOrEmpty
    }
}

Describe 'A reachability matrix across hosts bigger than the kernel''s neighbour table' {
    BeforeAll {
        # 80 nodes, every other one on host b: 40 x 40 x 2 echoes between hosts, each making an entry on the target's
        # host for its reply, more than the table holds (1024 by default). Both hosts share this machine's kernel.
        $script:mx = 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
        $nodes = [ordered]@{}
        $members = for ($i = 0; $i -lt 80; $i++) { $nodes["n$i"] = @{ Host = $(if ($i % 2) { 'b' } else { 'a' }) }; "n$i" }
        $script:mxDef = @{ Name = $script:mx; Hosts = $script:hosts; Nodes = $nodes; Networks = @{ lan = @{ Subnet = '198.18.48.0/24'; Members = $members; Gateway = 'n0' } } }
        Deploy-NetNsLab -Definition $script:mxDef -Confirm:$false | Out-Null
    }
    AfterAll { Remove-NetNsLab -Definition $script:mxDef -Confirm:$false -ErrorAction SilentlyContinue }

    It 'every pair answers, the table never overflows, and the entries are forgotten on both hosts' {
        $before = [NetNs.Core.NeighborTables]::Overflows('InterNetwork')
        $r = @(Test-NetNsLab -Definition $script:mxDef -Count 1)
        $after = [NetNs.Core.NeighborTables]::Overflows('InterNetwork')
        $r.Count | Should -Be (80 * 79)
        $r | Where-Object { -not $_.Success } | Select-Object -First 5 | ForEach-Object { "$($_.From) -> $($_.Address): $($_.Status)" } | Should -BeNullOrEmpty
        $after | Should -Be $before -Because 'the waves are paced to the kernel''s table, the targets'' entries counted and forgotten'
        # Each wave's entries are forgotten on both hosts: not forgetting the targets' side left 40 x 40 on each. (An
        # ARP request retransmitted on a loaded machine can reach its target after its wave was forgotten: a few.)
        $left = foreach ($s in @($script:sa, $script:sb)) {
            Invoke-Command -Session $s -HideComputerName {
                param($lab) foreach ($f in @(Get-ChildItem -LiteralPath /run/netns -Filter "$lab-n*")) { & ip -n $f.Name neigh show }
            } -ArgumentList $script:mx
        }
        @($left).Count | Should -BeLessThan 16 -Because "the waves' entries are forgotten on both hosts (left: $(@($left)[0..4] -join '; '))"
    }
}

Describe 'A lab across two hosts' {
    It '-WhatIf lists every change with its host and changes nothing' {
        $changes = @(Deploy-NetNsLab -Definition $script:def -WhatIf)
        ($changes.Host | Sort-Object -Unique) | Should -Be @('a', 'b')
        $changes | Where-Object { $_.Host -eq 'b' -and $_.Kind -eq 'Namespace' } | ForEach-Object Namespace | Sort-Object |
            Should -Be @("$($script:lab)-h2", "$($script:lab)-lan")
        ($changes | Where-Object Kind -EQ 'Vxlan').Count | Should -Be 2
        ($changes | Format-Table | Out-String) | Should -Match "b:$($script:lab)-h2"
        Get-HostLab $script:sa $script:lab | Should -BeNullOrEmpty
        Get-HostLab $script:sb $script:lab | Should -BeNullOrEmpty
    }

    It 'deploys each host''s part there: r1, h1 and the bridge on a; h2 and a bridge with a VXLAN port on b' {
        $info = Deploy-NetNsLab -Definition $script:def -Confirm:$false
        $info.Name | Should -Be $script:lab
        (Get-HostLab $script:sa $script:lab).Name | Should -Be @("$($script:lab)-h1", "$($script:lab)-lan", "$($script:lab)-r1")
        (Get-HostLab $script:sb $script:lab).Name | Should -Be @("$($script:lab)-h2", "$($script:lab)-lan")
        Test-Path -LiteralPath "/run/netns/$($script:lab)-h2" | Should -BeFalse # nothing here
        $vx = Invoke-Command -Session $script:sb -HideComputerName { param($ns) Get-NetNsLink -Namespace $ns | Where-Object Kind -EQ 'vxlan' } -ArgumentList "$($script:lab)-lan"
        $vx.Mtu | Should -Be 1450
        $vx.Master | Should -Be 'lan'
        $h2 = Invoke-Command -Session $script:sb -HideComputerName { param($ns) Get-NetNsLink -Namespace $ns -Name lan } -ArgumentList "$($script:lab)-h2"
        $h2.Mtu | Should -Be 1450
    }

    It 'every node reaches every address, h2 on host b through the VXLAN to r1''s bridge on host a' {
        $r = @(Test-NetNsLab -Definition $script:def -Count 3)
        $r.Count | Should -Be 6
        $r | Where-Object { -not $_.Success } | ForEach-Object { "$($_.From) -> $($_.Address): $($_.Status)" } | Should -BeNullOrEmpty
        $r | Where-Object { $_.From -eq 'h2' } | ForEach-Object Address | Sort-Object | Should -Be @('198.18.40.1', '198.18.40.2')
        # -From: only those nodes probe, wherever they live
        $only = @(Test-NetNsLab -Definition $script:def -From h2, h1)
        $only.From | Sort-Object -Unique | Should -Be @('h1', 'h2')
        $only.Count | Should -Be 4
        # The full MTU end to end with DF set: 1450 - 28 bytes of IPv4 and ICMP headers.
        $code = Invoke-Command -Session $script:sb { param($ns) $null = & ip netns exec $ns ping -c 1 -W 2 -M do -s 1422 198.18.40.2; $LASTEXITCODE } -ArgumentList "$($script:lab)-h2"
        $code | Should -Be 0
    }

    It 'Get-NetNsLab -Definition reads the lab on each host' {
        $labs = @(Get-NetNsLab -Definition $script:def)
        ($labs | ForEach-Object Host) | Should -Be @('a', 'b')
        ($labs | Where-Object Host -EQ 'a').Nodes | Should -Be @('h1', 'r1')
        ($labs | Where-Object Host -EQ 'b').Nodes | Should -Be @('h2')
        ($labs | Format-Table | Out-String) | Should -Match $script:lab
    }

    It 'lab cmdlets one after another reuse one SSH connection per host' {
        $log = $script:set.Hosts[1].Log
        $logins = { @(Select-String -LiteralPath $log -Pattern 'Accepted publickey' -ErrorAction SilentlyContinue).Count }
        $null = Get-NetNsLab -Definition $script:def # a session to b kept from here on
        $before = & $logins
        $null = Get-NetNsLab -Definition $script:def
        $r = @(Test-NetNsLab -Definition $script:def)
        $null = Get-NetNsLab -Definition $script:def
        $r.Count | Should -Be 6
        (& $logins) - $before | Should -Be 0
    }

    It 'deploying again changes nothing on either host' {
        @(Deploy-NetNsLab -Definition $script:def -WhatIf).Count | Should -Be 0
    }

    It 'converge adds a node on host b without touching host a''s namespaces' {
        $before = Get-HostLab $script:sa $script:lab
        $bigger = New-SpanDefinition -WithH3
        $made = @(Deploy-NetNsLab -Definition $bigger -PassThru -Confirm:$false | Where-Object { $_ -is [NetNs.Core.LabChange] })
        $made | Should -Not -BeNullOrEmpty
        ($made.Host | Sort-Object -Unique) | Should -Be @('b')
        $after = Get-HostLab $script:sa $script:lab
        ($after | ForEach-Object { "$($_.Name)=$($_.Inode)" }) | Should -Be ($before | ForEach-Object { "$($_.Name)=$($_.Inode)" })
        (Get-HostLab $script:sb $script:lab).Name | Should -Contain "$($script:lab)-h3"
        $r = @(Test-NetNsLab -Definition $bigger)
        $r.Count | Should -Be 12
        $r | Where-Object { -not $_.Success } | Should -BeNullOrEmpty
    }

    It 'Remove-NetNsLab -Definition leaves both hosts empty' {
        Remove-NetNsLab -Definition (New-SpanDefinition -WithH3) -Confirm:$false
        Get-HostLab $script:sa $script:lab | Should -BeNullOrEmpty
        Get-HostLab $script:sb $script:lab | Should -BeNullOrEmpty
        { Remove-NetNsLab -Definition $script:def -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NamespaceNotFound,NetNs.Cmdlets.RemoveNetNsLabCommand'
    }

    It 'Remove-NetNsLab -Definition finds everything after the deploying process is killed mid-deploy' {
        $other = 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
        $json = Join-Path $script:set.Directory "$other.json"
        Export-NetNsLab -Definition (New-SpanDefinition -Name $other -WithH3) -Format Json | Set-Content -LiteralPath $json
        # A pwsh of its own (dotnet pwsh.dll: its pid is the process that holds the sessions), killed with its ssh
        # children as soon as the lab's first namespace shows on either host.
        $psi = New-ChildPwshStartInfo '-Command', "Import-Module '$(Get-NetNsModulePath)'; Deploy-NetNsLab -Path '$json' -Confirm:`$false"
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
        $p = [Diagnostics.Process]::Start($psi)
        try {
            $seen = $false
            for ($i = 0; $i -lt 400 -and -not $seen -and -not $p.HasExited; $i++) {
                $seen = [bool]((Get-HostLab $script:sa $other) -or (Get-HostLab $script:sb $other))
                if (-not $seen) { Start-Sleep -Milliseconds 25 }
            }
            $seen | Should -BeTrue -Because 'the deploy made something before it was killed'
        }
        finally {
            if (-not $p.HasExited) { $p.Kill($true) }
            $null = $p.WaitForExit(10000)
        }
        Start-Sleep -Milliseconds 500 # what the remote sides still do as their connections drop
        Remove-NetNsLab -Definition (New-SpanDefinition -Name $other -WithH3) -Confirm:$false
        Get-HostLab $script:sa $other | Should -BeNullOrEmpty
        Get-HostLab $script:sb $other | Should -BeNullOrEmpty
    }

    It 'Use-NetNsLab deploys on both hosts, runs the block with the lab, and removes it from both' {
        $other = 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
        $d = New-SpanDefinition -Name $other
        $out = Use-NetNsLab -Definition $d {
            [pscustomobject]@{ Name = $_.Name; Onb = @(Get-HostLab $script:sb $_.Name).Count; Failed = @(Test-NetNsLab -Definition $d | Where-Object { -not $_.Success }).Count }
        }
        $out.Name | Should -Be $other
        $out.Onb | Should -Be 2
        $out.Failed | Should -Be 0
        Get-HostLab $script:sa $other | Should -BeNullOrEmpty
        Get-HostLab $script:sb $other | Should -BeNullOrEmpty
    }

    It 'a part that fails on its host leaves nothing anywhere: the part made new on the other host is removed again' {
        $bad = 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
        # y's sysctl passes the plan and fails when written, on host b, after or while x's part is made on host a
        $d = @{ Name = $bad; Hosts = $script:hosts; Nodes = @{ x = @{ Host = 'a' }; y = @{ Host = 'b'; Sysctls = @{ 'net.ipv4.nosuch_key' = '1' } } }
            Networks = @{ lan = @{ Subnet = '198.18.42.0/24'; Members = 'x', 'y' } } }
        try {
            $e = $null
            try { Deploy-NetNsLab -Definition $d -Confirm:$false -ErrorAction Stop -Verbose 4>&1 | Out-Null } catch { $e = $_ }
            $e | Should -Not -BeNullOrEmpty
            $e.Exception.Message | Should -BeLike "*host 'b'*nosuch_key*"
            Get-HostLab $script:sa $bad | Should -BeNullOrEmpty
            Get-HostLab $script:sb $bad | Should -BeNullOrEmpty
        }
        finally { Remove-NetNsLab -Definition $d -Confirm:$false -ErrorAction SilentlyContinue }
    }

    It 'a host that cannot be reached fails the plan naming the host, and nothing is made anywhere' {
        $other = 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
        # sshd down, and every connection to b ended (a kept session too: an sshd stopped alone keeps its sessions)
        Stop-TestHost -HostSet $script:set -Name b
        Stop-TestHostSession -HostSet $script:set -Name b
        try {
            $e = $null
            try { Deploy-NetNsLab -Definition (New-SpanDefinition -Name $other) -Confirm:$false -ErrorAction Stop } catch { $e = $_ }
            $e | Should -Not -BeNullOrEmpty
            $e.FullyQualifiedErrorId | Should -BeLike 'HostUnreachable,*'
            $e.Exception.Message | Should -Match "host b \(root@$([regex]::Escape($script:set.Hosts[1].Address))"
            $e.Exception.Message | Should -Not -Match ([regex]::Escape($script:set.KeyFile))
            Get-HostLab $script:sa $other | Should -BeNullOrEmpty
        }
        finally {
            Start-TestHost -HostSet $script:set -Name b
            Wait-TestHost -HostSet $script:set -Name b
            $pb = $script:set.Hosts[1].SessionParameters # the old session ended with b's processes
            $script:sb = New-PSSession @pb -ErrorAction Stop
        }
        Get-HostLab $script:sb $other | Should -BeNullOrEmpty
        # the next call finds its kept session to b gone, and opens a new one
        @(Deploy-NetNsLab -Definition (New-SpanDefinition -Name $other) -WhatIf).Host | Sort-Object -Unique | Should -Be @('a', 'b')
    }
}

Describe 'A host without NetNs' {
    BeforeAll {
        # Hosts whose pwsh finds no NetNs (an empty module directory); their HOMEs are the fixture's.
        $script:empty = Join-Path ([IO.Path]::GetTempPath()) ('netns-nomodule-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $null = New-Item -ItemType Directory -Path $script:empty
        $script:bare = New-TestHostSet -Count 1 -ModuleDirectory $script:empty
        $script:lab2 = 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
        $script:def2 = @{ Name = $script:lab2; Hosts = @{ a = $script:bare.Hosts[0].Definition }; Nodes = @{ n1 = @{ Host = 'a' }; n2 = @{ Host = 'a' } }
            Networks = @{ lan = @{ Subnet = '198.18.41.0/24'; Members = 'n1', 'n2' } } }
    }
    AfterAll {
        try { Remove-NetNsLab -Definition $script:def2 -Confirm:$false -ErrorAction SilentlyContinue } catch { }
        Remove-TestHostSet $script:bare
        Remove-Item -LiteralPath $script:empty -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'fails the deploy with HostModuleMismatch naming the host; -InstallModule copies this NetNs there and deploys' {
        $e = $null
        try { Deploy-NetNsLab -Definition $script:def2 -Confirm:$false -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'HostModuleMismatch,*'
        $e.Exception.Message | Should -Match "host 'a'"
        $info = Deploy-NetNsLab -Definition $script:def2 -InstallModule -Confirm:$false
        $info.Name | Should -Be $script:lab2
        $p = $script:bare.Hosts[0].SessionParameters
        $remote = Invoke-Command @p { Import-Module NetNs; $m = Get-Module NetNs; @{ Version = $m.Version.ToString(); Base = $m.ModuleBase; Home = $HOME } }
        $remote.Version | Should -Be (Get-Module NetNs).Version.ToString()
        $remote.Base | Should -BeLike "$($script:bare.Directory)/home-a/*" # in the host's own user module path
        @(Test-NetNsLab -Definition $script:def2 | Where-Object Success).Count | Should -Be 2
    }
}
