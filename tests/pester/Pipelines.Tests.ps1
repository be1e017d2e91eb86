# The issue's contract pipelines, as written, with unique names ('red' -> $red …) and with everything
# that would land in the root namespace (br0, vh1) put in a test namespace instead.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Contract pipelines' {
    BeforeAll {
        $script:red, $script:blue, $script:hub = New-TestName -Count 3
        $script:stem = (New-TestName).Substring(0, 10)
        $script:labs = "$($script:stem)1", "$($script:stem)2"
    }
    AfterAll { Remove-TestNamespace -Name (@($script:red, $script:blue, $script:hub) + $script:labs) }

    It "'red','blue' | New-NetNamespace" {
        $out = $script:red, $script:blue | New-NetNamespace
        $out.Name | Should -Be @($script:red, $script:blue)
        Test-TestNamespace $script:red | Should -BeTrue
        Test-TestNamespace $script:blue | Should -BeTrue
    }

    It 'New-VethPair -Name veth-red -PeerName veth-blue -Namespace red -PeerNamespace blue -Up' {
        New-VethPair -Name veth-red -PeerName veth-blue -Namespace $script:red -PeerNamespace $script:blue -Up | Out-Null
        (Get-IpLink -Namespace $script:red -Name veth-red).flags | Should -Contain 'UP'
        (Get-IpLink -Namespace $script:blue -Name veth-blue).flags | Should -Contain 'UP'
    }

    It 'Set-NetNsAddress -Namespace red -InterfaceAlias veth-red -IPAddress 198.18.0.1/24' {
        Set-NetNsAddress -Namespace $script:red -InterfaceAlias veth-red -IPAddress 198.18.0.1/24
        Get-IpAddress -Namespace $script:red -InterfaceName veth-red | Should -Contain '198.18.0.1/24'
    }

    It 'Get-NetNamespace red | Get-NetNsLink' {
        (Get-NetNamespace $script:red | Get-NetNsLink).Name | Sort-Object | Should -Be @('lo', 'veth-red')
    }

    It 'Get-NetNsLink -Namespace red | Where-Object State -ne Up | Set-NetNsLink -Up' {
        Set-NetNsLink -Namespace $script:red -Name lo -Down # New-NetNamespace brought it up
        (Get-NetNsLink -Namespace $script:red | Where-Object State -ne Up).Name | Should -Be 'lo'
        Get-NetNsLink -Namespace $script:red | Where-Object State -ne Up | Set-NetNsLink -Up
        (Get-IpLink -Namespace $script:red -Name lo).flags | Should -Contain 'UP'
        Get-NetNsLink -Namespace $script:red | Where-Object State -ne Up | Should -BeNullOrEmpty
    }

    It 'New-NetNsLink -Name br0 -Kind Bridge -Up (in a test namespace)' {
        & ip netns add $script:hub
        New-NetNsLink -Name br0 -Kind Bridge -Up -Namespace $script:hub | Out-Null
        (Get-IpLink -Namespace $script:hub -Name br0).linkinfo.info_kind | Should -Be 'bridge'
    }

    It 'New-VethPair -Name vh1 -PeerName eth0 -PeerNamespace blue -Up | Add-BridgePort -Bridge br0 (in a test namespace)' {
        New-VethPair -Name vh1 -PeerName eth0 -PeerNamespace $script:blue -Up -Namespace $script:hub | Add-BridgePort -Bridge br0
        (Get-IpLink -Namespace $script:hub -Name vh1).master | Should -Be 'br0'
        (Get-IpLink -Namespace $script:blue -Name eth0).flags | Should -Contain 'UP'
    }

    It 'Set-NetNsLink -Namespace blue -Name veth-blue -NewName eth1' {
        Set-NetNsLink -Namespace $script:blue -Name veth-blue -NewName eth1
        Get-IpLink -Namespace $script:blue -Name veth-blue | Should -BeNullOrEmpty
        Get-IpLink -Namespace $script:blue -Name eth1 | Should -Not -BeNullOrEmpty
    }

    It "(Get-NetNsLink -Namespace red -Name veth-red).PeerNamespace is 'blue'" {
        (Get-NetNsLink -Namespace $script:red -Name veth-red).PeerNamespace | Should -Be $script:blue
        (Get-NetNsLink -Namespace $script:red -Name veth-red).PeerName | Should -Be 'eth1'
    }

    It 'Get-NetNsAddress -Namespace red | ConvertTo-Json' {
        $json = Get-NetNsAddress -Namespace $script:red | ConvertTo-Json
        $json.Length | Should -BeLessThan 4096
        $v4 = @($json | ConvertFrom-Json) | Where-Object IPAddress -EQ '198.18.0.1'
        $v4.PrefixLength | Should -Be 24
        $v4.InterfaceAlias | Should -Be 'veth-red'
        $v4.Namespace | Should -Be $script:red
    }

    It "Get-NetNamespace 'lab-*' | Remove-NetNamespace" {
        foreach ($n in $script:labs) { & ip netns add $n }
        Get-NetNamespace "$($script:stem)*" | Remove-NetNamespace
        foreach ($n in $script:labs) { Test-TestNamespace $n | Should -BeFalse }
        Test-TestNamespace $script:red | Should -BeTrue
    }
}

Describe 'Namespaces from the pipeline, by value, into the changing cmdlets' {
    BeforeAll {
        $script:names = New-TestNamespace -Count 2
        foreach ($n in $script:names) { & ip -n $n link add v0 type bridge; & ip -n $n link set v0 up }
    }
    AfterAll { Remove-TestNamespace -Name $script:names }

    It 'takes names by value: <_>' -ForEach @(
        'Set-NetNsLink -Name lo -Up'
        'Set-NetNsAddress -InterfaceAlias v0 -IPAddress 198.18.52.10/24'
        'New-NetNsRoute -DestinationPrefix 198.19.52.0/24 -NextHop 198.18.52.1'
    ) {
        $command = $_
        $script:names | & ([scriptblock]::Create("`$input | $command")) | Out-Null
        foreach ($n in $script:names) {
            switch -Wildcard ($command) {
                'Set-NetNsLink*' { (Get-IpLink -Namespace $n -Name lo).flags | Should -Contain 'UP' }
                'Set-NetNsAddress*' { Get-IpAddress -Namespace $n -InterfaceName v0 | Should -Contain '198.18.52.10/24' }
                'New-NetNsRoute*' { (Get-IpRoute -Namespace $n | Where-Object dst -EQ '198.19.52.0/24').gateway | Should -Be '198.18.52.1' }
            }
        }
    }

    It 'takes NetNamespace objects by value and by their Namespace property' {
        $ns = $script:names[0]
        Get-NetNamespace $ns | New-NetNsRoute -DestinationPrefix 198.19.53.0/24 -NextHop 198.18.52.2 | Out-Null
        (Get-IpRoute -Namespace $ns | Where-Object dst -EQ '198.19.53.0/24').gateway | Should -Be '198.18.52.2'
        (Get-NetNamespace $ns).Namespace | Should -Be $ns
        Get-NetNamespace $ns | Remove-NetNsRoute -DestinationPrefix 198.19.53.0/24 -NextHop 198.18.52.2 -Confirm:$false
        Get-IpRoute -Namespace $ns | Where-Object dst -EQ '198.19.53.0/24' | Should -BeNullOrEmpty
    }
}

Describe 'Table views at 80 columns' {
    BeforeAll {
        $script:a, $script:b = New-TestNamespace -Count 2
        $long = 'nt-' + ('x' * 40)
        $script:long = $long
        & ip netns add $long
        & ip -n $script:a link add verylongname01 type veth peer name verylongname02 netns $script:b
        & ip -n $script:a addr add 2001:db8:ffff:ffff:ffff:ffff:ffff:1/64 dev verylongname01 nodad
        & ip -n $script:a addr add 198.18.99.1/24 dev verylongname01
        & ip -n $script:a link set verylongname01 up
        & ip -n $script:a route add 198.19.255.0/24 via 198.18.99.254 metric 100
        & ip -n $script:a link add bridge-long-01 type bridge
        & ip -n $script:a link set verylongname01 master bridge-long-01
    }
    AfterAll {
        & ip netns delete $script:long 2>$null
        Remove-TestNamespace -Name $script:a, $script:b
    }

    It 'writes one line per object, no wider than 80 columns: <_>' -ForEach @(
        'Get-NetNamespace -Name $script:a, $script:long'
        'Get-NetNsLink -Namespace $script:a'
        'Get-NetNsAddress -Namespace $script:a'
        'Get-NetNsRoute -Namespace $script:a'
        'Get-BridgePort -Namespace $script:a'
    ) {
        $objects = @(& ([scriptblock]::Create($_)))
        $lines = @(($objects | Format-Table | Out-String -Width 80) -split "`n" | ForEach-Object { $_.TrimEnd() } | Where-Object { $_ })
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because $_ }
        # a header, a rule, then exactly one line per object: nothing wraps (a view grouped by namespace adds its
        # group line, "Namespace: NAME", once per namespace)
        $groups = @($lines | Where-Object { $_ -match '^\s+Namespace: ' }).Count
        $lines.Count | Should -Be ($objects.Count + 2 + $groups) -Because ($lines -join "`n")
    }
}

Describe 'Wildcards on the Remove-* cmdlets: one rule, as on Get-*' {
    BeforeEach {
        $script:ns = New-TestNamespace
        foreach ($n in 'wa1', 'wa2', 'wb1') { & ip -n $script:ns link add $n type bridge }
    }
    AfterEach { Remove-TestNamespace -Name $script:ns }

    It 'Remove-NetNsLink removes exactly the links a pattern matches, and -WhatIf names them' {
        Remove-NetNsLink -Namespace $script:ns -Name 'wa*' -WhatIf -InformationVariable iv 6>$null
        (Get-IpLink -Namespace $script:ns).ifname | Should -Contain 'wa1'
        Remove-NetNsLink -Namespace $script:ns -Name 'wa*' -Confirm:$false
        (Get-IpLink -Namespace $script:ns).ifname | Sort-Object | Should -Be 'lo', 'wb1'
        Remove-NetNsLink -Namespace $script:ns -Name 'zz*' -ErrorVariable ev
        $ev | Should -BeNullOrEmpty
    }

    It 'Remove-NetNamespace expands a pattern to the namespaces it matches' {
        $stem = New-TestName
        $names = "$stem-a", "$stem-b"
        foreach ($n in $names) { & ip netns add $n }
        try {
            Remove-NetNamespace -Name "$stem-*" -Confirm:$false
            foreach ($n in $names) { Test-Path "/run/netns/$n" | Should -BeFalse }
            Test-Path "/run/netns/$($script:ns)" | Should -BeTrue
        } finally { foreach ($n in $names) { & ip netns delete $n 2>$null } }
    }

    It 'Remove-BridgePort releases the ports a pattern matches' {
        & ip -n $script:ns link add p1 type veth peer name p2
        & ip -n $script:ns link set p1 master wb1
        & ip -n $script:ns link set p2 master wb1
        Remove-BridgePort -Namespace $script:ns -Name 'p*' -Confirm:$false
        (Get-IpLink -Namespace $script:ns -Name p1).PSObject.Properties['master'] | Should -BeNullOrEmpty
        (Get-IpLink -Namespace $script:ns -Name p2).PSObject.Properties['master'] | Should -BeNullOrEmpty
    }
}
