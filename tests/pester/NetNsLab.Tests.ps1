BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
    $script:examples = Join-Path $PSScriptRoot '../../examples/labs'
    # A unique lab name: nt + 6 hex (its namespaces nt……-NODE stay short).
    function New-LabName { 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant() }
    function Remove-LabLeftovers([string]$Name) {
        Get-NetNamespace -Name "$Name-*" | ForEach-Object { Remove-NetNamespace -Name $_.Name -Confirm:$false -ErrorAction SilentlyContinue }
    }
}

Describe 'Deploy-NetNsLab, Test-NetNsLab and Remove-NetNsLab on the example definitions' {
    BeforeAll { $script:rootForward = Get-Content /proc/sys/net/ipv4/ip_forward }
    AfterAll { Get-Content /proc/sys/net/ipv4/ip_forward | Should -Be $script:rootForward }

    It 'deploys <_>, reaches every expected address, and removes it' -ForEach 'veth-pair', 'bridge-of-three', 'router', 'router-nat', 'demo' {
        $name = New-LabName
        try {
            $lab = Deploy-NetNsLab -Path (Join-Path $examples "$_.psd1") -Name $name
            $lab.Name | Should -Be $name
            $cells = Test-NetNsLab $name
            $cells | Should -Not -BeNullOrEmpty
            $cells | Where-Object { -not $_.Success } | Should -BeNullOrEmpty
            Remove-NetNsLab $name -Confirm:$false
            Get-NetNamespace -Name "$name-*" | Should -BeNullOrEmpty
        }
        finally { Remove-LabLeftovers $name }
    }
}

Describe 'NAT in a lab (router-nat.psd1)' {
    BeforeAll {
        $script:natLab = New-LabName
        Deploy-NetNsLab -Path (Join-Path $examples 'router-nat.psd1') -Name $natLab | Out-Null
    }
    AfterAll { Remove-LabLeftovers $natLab }

    It 'masquerades the LAN out of r1''s wan0: wan sees r1''s wan address, not the host''s' {
        # wan has no route back to the LAN: only masquerading makes this connection work.
        Get-SourceSeen -ListenIn "$natLab-wan" -Address 198.18.41.2 -Port 7401 -From "$natLab-h1" -To 198.18.41.2 -ConnectPort 7401 |
            Should -Be '198.18.41.1'
        (Get-NetNsNatRule -Namespace "$natLab-r1").OutputInterface | Should -Be 'wan0'
    }

    It 'changes nothing when deployed again, and converges the NAT away when the key goes' {
        Deploy-NetNsLab -Path (Join-Path $examples 'router-nat.psd1') -Name $natLab -WhatIf | Should -BeNullOrEmpty
        $def = Import-PowerShellDataFile (Join-Path $examples 'router-nat.psd1')
        $def.Remove('Nat')
        $def.Name = $natLab
        $plan = Deploy-NetNsLab -Definition $def -WhatIf
        "$($plan.Action) $($plan.Kind) $($plan.Target)" | Should -Be 'Remove Nat wan0'
        Deploy-NetNsLab -Definition $def | Out-Null
        Get-NetNsNatRule -Namespace "$natLab-r1" | Should -BeNullOrEmpty
        Get-SourceSeen -ListenIn "$natLab-wan" -Address 198.18.41.2 -Port 7402 -From "$natLab-h1" -To 198.18.41.2 -ConnectPort 7402 |
            Should -BeNullOrEmpty
    }
}

Describe 'converging a running lab' {
    BeforeEach {
        $script:name = New-LabName
        $script:def = @{
            Name     = $name
            Nodes    = @{ r1 = @{ Forwarding = $true }; h1 = @{}; h2 = @{} }
            Networks = @{ lan = @{ Subnet = '198.18.60.0/24'; Members = 'r1', 'h1', 'h2'; Gateway = 'r1' } }
        }
        Deploy-NetNsLab -Definition $def | Out-Null
        $script:inodes = @{}
        Get-NetNamespace -Name "$name-*" | ForEach-Object { $inodes[$_.Name] = $_.Inode }
    }
    AfterEach { Remove-LabLeftovers $name }

    It 'changes nothing for an unchanged definition and keeps the namespaces' {
        Deploy-NetNsLab -Definition $def -WhatIf | Should -BeNullOrEmpty
        Deploy-NetNsLab -Definition $def -PassThru | Where-Object { $_ -is [NetNs.Core.LabChange] } | Should -BeNullOrEmpty
        Get-NetNamespace -Name "$name-*" | ForEach-Object { $_.Inode | Should -Be $inodes[$_.Name] }
    }

    It 'fails the pairs of an address the running lab lost when tested against its definition' {
        $lost = Get-NetNsAddress -Namespace "$name-h1" -AddressFamily IPv4 | Where-Object InterfaceAlias -NE 'lo'
        $lost | Should -Not -BeNullOrEmpty
        $lost | Remove-NetNsAddress -Confirm:$false
        # By name the lab as it runs is the expectation: h1's lost address is simply not tested ...
        # (ForEach-Object: on an array, .Address is the array's own Address() method, not member enumeration)
        $tested = Test-NetNsLab $name | ForEach-Object Address
        $tested | Should -Not -BeNullOrEmpty
        $tested | Should -Not -Contain $lost.IPAddress
        # ... against the definition it is, and fails (h1 has no address to reach it from either).
        $matrix = Test-NetNsLab -Definition $def -Count 1 -TimeoutSeconds 0.3
        $failed = $matrix | Where-Object { -not $_.Success }
        $failed | ForEach-Object Address | Should -Contain $lost.IPAddress
        $failed | Where-Object { $_.To -ne 'h1' -and $_.From -ne 'h1' } | Should -BeNullOrEmpty
    }

    It 'lists planned changes as objects with -WhatIf and changes nothing' {
        $def.Nodes.h3 = @{}
        $def.Networks.lan.Members = 'r1', 'h1', 'h2', 'h3'
        $plan = Deploy-NetNsLab -Definition $def -WhatIf
        $plan | Should -Not -BeNullOrEmpty
        $plan | ForEach-Object { $_ | Should -BeOfType NetNs.Core.LabChange }
        ($plan | Where-Object Kind -EQ Namespace).Target | Should -Be "$name-h3"
        Test-TestNamespace "$name-h3" | Should -BeFalse
    }

    It 'adds a node (only it appears) and removes it again (only it goes)' {
        $def.Nodes.h3 = @{}
        $def.Networks.lan.Members = 'r1', 'h1', 'h2', 'h3'
        $lab = Deploy-NetNsLab -Definition $def
        $lab.Nodes | Should -Be 'h1', 'h2', 'h3', 'r1'
        Get-NetNamespace -Name "$name-*" | Where-Object Name -NE "$name-h3" | ForEach-Object { $_.Inode | Should -Be $inodes[$_.Name] }
        $matrix = Test-NetNsLab $name
        $matrix | Should -Not -BeNullOrEmpty
        $matrix | Where-Object { -not $_.Success } | Should -BeNullOrEmpty

        $def.Nodes.Remove('h3')
        $def.Networks.lan.Members = 'r1', 'h1', 'h2'
        $changes = Deploy-NetNsLab -Definition $def -PassThru | Where-Object { $_ -is [NetNs.Core.LabChange] }
        $changes.Action | Sort-Object -Unique | Should -Be 'Remove'
        ($changes | Where-Object Kind -EQ Namespace).Target | Should -Be "$name-h3"
        ($changes | Where-Object Kind -EQ Veth).Target | Should -Be 'h3'      # its bridge port, at once
        (Get-NetNsLink -Namespace "$name-lan").Name | Should -Not -Contain 'h3'
        Test-TestNamespace "$name-h3" | Should -BeFalse
    }

    It 'impairs network members from the Networks entry and from a member entry, and converges back, keeping every link' {
        $ports = @{}
        Get-NetNsLink -Namespace "$name-lan" | ForEach-Object { $ports[$_.Name] = $_.InterfaceIndex }
        $def.Networks.lan.Rate = '10mbit'
        $def.Networks.lan.Members = 'r1', 'h1', @{ Node = 'h2'; Loss = 5 }
        $changes = Deploy-NetNsLab -Definition $def -PassThru | Where-Object { $_ -is [NetNs.Core.LabChange] }
        $changes.Kind | Sort-Object -Unique | Should -Be 'Impairment'
        $changes.Count | Should -Be 6      # three members, both ends of each
        (Get-NetNsLinkImpairment -Namespace "$name-h1" -Name lan).Rate | Should -Be '10mbit'
        (Get-NetNsLinkImpairment -Namespace "$name-lan" -Name h1).Rate | Should -Be '10mbit'
        $h2 = Get-NetNsLinkImpairment -Namespace "$name-h2" -Name lan
        $h2.Loss | Should -Be 5
        $h2.Rate | Should -BeNullOrEmpty
        (& ip netns exec "$name-lan" tc qdisc show dev r1) -join "`n" | Should -Match 'tbf .*rate 10Mbit'
        (Get-NetNsLab $name).Networks | Should -Be 'lan (h1: rate 10mbit; h2: loss 5%; r1: rate 10mbit)'
        ConvertTo-NetNsLab $name -Format Mermaid | Should -Match 'lan<br/>loss 5%'
        Deploy-NetNsLab -Definition $def -WhatIf | Should -BeNullOrEmpty

        $def.Networks.lan.Remove('Rate')
        $def.Networks.lan.Members = 'r1', 'h1', 'h2'
        (Deploy-NetNsLab -Definition $def -PassThru | Where-Object { $_ -is [NetNs.Core.LabChange] }).Count | Should -Be 6
        (Get-NetNsLinkImpairment -Namespace "$name-h2" -Name lan).Loss | Should -BeNullOrEmpty
        Get-NetNsLink -Namespace "$name-lan" | ForEach-Object { $_.InterfaceIndex | Should -Be $ports[$_.Name] }
        Get-NetNamespace -Name "$name-*" | ForEach-Object { $_.Inode | Should -Be $inodes[$_.Name] }
    }

    It 'refuses a bad key of a member entry, naming it, and changes nothing' {
        $def.Networks.lan.Members = 'r1', 'h1', @{ Node = 'h2'; Loss = 200 }
        { Deploy-NetNsLab -Definition $def } | Should -Throw '*Networks.lan.Members`[2`].Loss*'
        Get-NetNsLinkImpairment -Namespace "$name-h2" -Name lan | ForEach-Object Qdisc | Should -BeNullOrEmpty
    }

    It 'is one of the networks Get-NetNsNetwork lists, saying its lab, and the network cmdlets leave it to the lab' {
        $lan = Get-NetNsNetwork | Where-Object Namespace -EQ "$name-lan"
        $lan.Name | Should -Be 'lan'
        $lan.Lab | Should -Be $name
        $lan.Gateway | Should -Be '198.18.60.1'
        $lan.Members.Namespace | Should -Be "$name-h1", "$name-h2", "$name-r1"
        ($lan | Format-Table | Out-String -Width 80) | Should -Match "lab $name"
        (Get-NetNsLab $name | Get-NetNsNetwork).Namespace | Should -Be "$name-lan"     # a lab's networks, by its Lab property
        (Get-NetNsNetwork -Lab $name).Members.Count | Should -Be 3
        { Remove-NetNsNetwork -Namespace "$name-lan" -Name lan -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.RemoveNetNsNetworkCommand'
        (Get-NetNsLink -Namespace "$name-lan").Name | Should -Contain 'lan'
    }

    It 'is seen by Get-NetNsLab from the kernel, and Export -Format Json round-trips' {
        $lab = Get-NetNsLab $name
        ($lab.Addresses | Where-Object Node -EQ 'r1').IPAddress | Should -Be '198.18.60.1'
        $json = ConvertTo-NetNsLab $name -Format Json
        Deploy-NetNsLab -Definition $json -WhatIf | Should -BeNullOrEmpty
        $pwsh = [Environment]::GetCommandLineArgs()[0]
        $other = & dotnet $pwsh -NoProfile -NonInteractive -Command "Import-Module '$(Get-NetNsModulePath)'; (Get-NetNsLab $name).Nodes -join ','"
        $other | Should -Be 'h1,h2,r1'
    }
}

Describe 'Use-NetNsLab' {
    It 'removes the lab after the block, also when the block throws' {
        $name = New-LabName
        try {
            { Use-NetNsLab -Path (Join-Path $examples 'veth-pair.psd1') -Name $name { Test-TestNamespace "$($_.Name)-a" | Should -BeTrue; throw 'boom' } } |
                Should -Throw '*boom*'
            Get-NetNamespace -Name "$name-*" | Should -BeNullOrEmpty
            Use-NetNsLab -Path (Join-Path $examples 'veth-pair.psd1') -Name $name { $_.Nodes } | Should -Be 'a', 'b'
            Get-NetNamespace -Name "$name-*" | Should -BeNullOrEmpty
        }
        finally { Remove-LabLeftovers $name }
    }
}

Describe 'bad definitions' {
    It 'names the file line and key of an unknown key in a .psd1 file' {
        $file = Join-Path $TestDrive 'bad.psd1'
        Set-Content $file "@{`n    Name = 'x'`n    Nodes = @{`n        a = @{ Forwardin = `$true }`n    }`n}"
        $e = { Deploy-NetNsLab -Path $file -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Be 'InvalidArgument,NetNs.Cmdlets.DeployNetNsLabCommand'
        $e.Exception.Message | Should -BeLike "*bad.psd1:4: Nodes.a.Forwardin: unknown key 'Forwardin'*"
    }

    It 'never runs code in a .psd1 file' {
        $file = Join-Path $TestDrive 'code.psd1'
        Set-Content $file "@{ Name = (New-Item $TestDrive/ran); Nodes = @{ a = @{} } }"
        { Deploy-NetNsLab -Path $file -ErrorAction Stop } | Should -Throw '*only constants*'
        Test-Path $TestDrive/ran | Should -BeFalse
    }

    It 'refuses <Case> before anything is touched' -ForEach @(
        @{ Case = 'an unknown member'; Key = 'Networks.lan.Members[1]'; Def = @{ Nodes = @{ a = @{} }; Networks = @{ lan = @{ Subnet = '198.18.61.0/24'; Members = 'a', 'zz' } } } }
        @{ Case = 'overlapping subnets'; Key = 'Networks.two.Subnet'; Def = @{ Nodes = @{ a = @{} }; Networks = @{ one = @{ Subnet = '198.18.61.0/24' }; two = @{ Subnet = '198.18.61.128/25' } } } }
        @{ Case = 'a name too long for the kernel'; Key = 'Nodes.thisnameistoolong'; Def = @{ Nodes = @{ thisnameistoolong = @{} } } }
        @{ Case = 'NAT out of an interface the node lacks'; Key = 'Nat.a'; Def = @{ Nodes = @{ a = @{}; b = @{} }; Links = @(@{ Endpoints = 'a:e0', 'b:e0' }); Nat = @{ a = 'e9' } } }
    ) {
        $name = New-LabName
        $Def.Name = $name
        $e = { Deploy-NetNsLab -Definition $Def -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match ([regex]::Escape($Key))
        Get-NetNamespace -Name "$name-*" | Should -BeNullOrEmpty
    }
}

Describe 'Remove-NetNsLab' {
    It 'removes a half-made lab and leaves an untagged namespace with its prefix alone' {
        $name = New-LabName
        try {
            Deploy-NetNsLab -Path (Join-Path $examples 'bridge-of-three.psd1') -Name $name | Out-Null
            Remove-NetNamespace "$name-h2" -Confirm:$false    # as if a crash had left it half-made
            New-NetNamespace "$name-mine" | Out-Null          # not the lab's
            Remove-NetNsLab $name -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
            (Get-NetNamespace -Name "$name-*").Name | Should -Be "$name-mine"
            "$w" | Should -BeLike "*$name-mine*"
        }
        finally { Remove-LabLeftovers $name }
    }

    It 'leaves a second lab alone' {
        $a = New-LabName; $b = New-LabName
        try {
            Deploy-NetNsLab -Path (Join-Path $examples 'router.psd1') -Name $a | Out-Null
            Deploy-NetNsLab -Path (Join-Path $examples 'router.psd1') -Name $b | Out-Null
            Remove-NetNsLab $a -Confirm:$false
            Get-NetNamespace -Name "$a-*" | Should -BeNullOrEmpty
            (Get-NetNsLab $b).Nodes | Should -Be 'h1', 'h2', 'r1'
            $matrix = Test-NetNsLab $b
            $matrix | Should -Not -BeNullOrEmpty
            $matrix | Where-Object { -not $_.Success } | Should -BeNullOrEmpty
        }
        finally { Remove-LabLeftovers $a; Remove-LabLeftovers $b }
    }
}

# Needs Docker with the local image nt-busybox:latest (tests/containers/start-runtimes.sh; CI starts it).
$script:dockerReady = [bool](Get-Command docker -ErrorAction SilentlyContinue) -and
    ((& docker image inspect nt-busybox:latest 2>$null) -and $LASTEXITCODE -eq 0)

Describe 'A running container as a lab node' -Skip:(-not $script:dockerReady) {
    BeforeAll {
        $script:web = New-TestName
        & docker run -d --network none --name $script:web nt-busybox:latest sleep 120 | Out-Null
        $script:webPid = [int](& docker inspect -f '{{.State.Pid}}' $script:web)
        $script:lab = New-LabName
        $script:definition = @{
            Name     = $script:lab
            Nodes    = @{ r1 = @{ Forwarding = $true }; web = @{ Container = $script:web }; h1 = @{} }
            Networks = @{ lan = @{ Subnet = '198.18.62.0/24'; Members = 'r1', 'web', 'h1'; Gateway = 'r1' } }
        }
    }
    AfterAll {
        Remove-NetNsLab $script:lab -Confirm:$false -ErrorAction SilentlyContinue
        Remove-LabLeftovers $script:lab
        & docker rm -f $script:web 2>$null | Out-Null
    }

    It 'joins the lab, reaches every node, and keeps only its own loopback after Remove-NetNsLab' {
        Deploy-NetNsLab -Definition $definition | Out-Null
        (Get-NetNsLab $lab).Nodes | Should -Be 'h1', 'r1', 'web'
        (Get-NetNsAddress -Namespace $webPid -InterfaceAlias lan -AddressFamily IPv4).IPAddress | Should -Be '198.18.62.2'
        $matrix = Test-NetNsLab $lab
        $matrix | Where-Object From -EQ 'web' | Should -HaveCount 2
        $matrix | Where-Object { -not $_.Success } | Should -BeNullOrEmpty
        @(Deploy-NetNsLab -Definition $definition -PassThru | Where-Object { $_ -is [NetNs.Core.LabChange] }) | Should -HaveCount 0

        Remove-NetNsLab $lab -Confirm:$false

        Get-NetNamespace -Name "$lab-*" | Should -BeNullOrEmpty
        & docker inspect -f '{{.State.Status}}' $web | Should -Be 'running'
        (Get-NetNsLink -Namespace $webPid).Name | Should -Be 'lo'
        (Get-NetNsLink -Namespace $webPid -Name lo).Alias | Should -BeNullOrEmpty
    }
}

Describe 'ConvertTo-NetNsLab and Export-NetNsLab from a definition' {
    BeforeAll { $script:def = Join-Path $examples 'router-nat.psd1' }
    It 'draws <_> before deploying' -ForEach 'Mermaid', 'Dot' {
        $text = ConvertTo-NetNsLab -Path $def -Format $_
        $text | Should -BeLike '*r1*wan*'
    }
    It 'writes a file in the format of its extension, refuses to replace one without -Force, and -PassThru gives it' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) (New-LabName)
        New-Item -ItemType Directory -Path $dir | Out-Null
        try {
            Export-NetNsLab -DefinitionPath $def -Path "$dir/lab.mmd" | Should -BeNullOrEmpty
            Get-Content -Raw "$dir/lab.mmd" | Should -Be (ConvertTo-NetNsLab -Path $def -Format Mermaid)
            Export-NetNsLab -DefinitionPath $def "$dir/lab.json"
            Deploy-NetNsLab -Path "$dir/lab.json" -WhatIf | Should -Not -BeNullOrEmpty   # a definition Deploy takes
            { Export-NetNsLab -DefinitionPath $def -Path "$dir/lab.mmd" -Format Dot -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.ExportNetNsLabCommand'
            Get-Content -Raw "$dir/lab.mmd" | Should -BeLike '%% lab*graph LR*'           # left as it was
            (Export-NetNsLab -DefinitionPath $def -Path "$dir/lab.mmd" -Format Dot -Force -PassThru).FullName | Should -Be "$dir/lab.mmd"
            Get-Content -Raw "$dir/lab.mmd" | Should -BeLike 'graph "*'
            { Export-NetNsLab -DefinitionPath $def -Path "$dir/lab.txt" -ErrorAction Stop } | Should -Throw '*cannot tell the format*'
            Export-NetNsLab -DefinitionPath $def -Path "$dir/new.dot" -WhatIf
            Test-Path "$dir/new.dot" | Should -BeFalse
        } finally { Remove-Item -Recurse -Force $dir }
    }
    It 'still writes the text without -Path, as it did, with a warning naming ConvertTo-NetNsLab' {
        $text = Export-NetNsLab -DefinitionPath $def -Format Mermaid -WarningVariable w 3>$null
        $text | Should -Be (ConvertTo-NetNsLab -Path $def -Format Mermaid)
        "$w" | Should -BeLike '*ConvertTo-NetNsLab*'
    }
}
