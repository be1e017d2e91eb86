# The tutorial's NAT lab with NetNs's network cmdlets (no raw nft): a router holds a network with NAT out of its uplink
# to a wan namespace; two clients join. TCP listeners opened inside wan and a client say which source really arrived.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Lab: New-NetNsNetwork with NAT, two clients and a wan' {
    BeforeAll {
        $script:rootRules = (& nft list ruleset) -join "`n"
        $script:rootForward = Get-Content /proc/sys/net/ipv4/ip_forward
        $script:router, $script:wan, $script:red, $script:blue = New-TestName -Count 4
        $script:net = New-TestName
        New-NetNamespace -Name $script:router, $script:wan, $script:red, $script:blue | Out-Null
        New-VethPair -Name wan0 -PeerName eth0 -Namespace $script:router -PeerNamespace $script:wan -Up | Out-Null
        Set-NetNsAddress $script:router -InterfaceAlias wan0 -IPAddress 198.18.33.1/24
        Set-NetNsAddress $script:wan -InterfaceAlias eth0 -IPAddress 198.18.33.10/24   # no route back to the lab
        $script:network = New-NetNsNetwork $script:net -Subnet 198.18.34.0/24, 2001:db8:34::/64 -Namespace $script:router -Nat -Uplink wan0
        $script:members = $script:red, $script:blue | Connect-NetNsNetwork $script:net -NetworkNamespace $script:router
    }
    AfterAll {
        Remove-NetNsNetwork $script:router $script:net -Confirm:$false -ErrorAction SilentlyContinue
        Remove-TestNamespace -Name $script:router, $script:wan, $script:red, $script:blue
    }

    It 'describes the network: gateway, NAT uplink, members with the next free addresses' {
        $script:network.Gateway.IPAddressToString | Should -Be '198.18.34.1', '2001:db8:34::1'
        $script:network.Uplink | Should -Be 'wan0'
        $script:members.IPAddress.ForEach({ "$_" }) | Should -Be '198.18.34.2/24', '2001:db8:34::2/64', '198.18.34.3/24', '2001:db8:34::3/64'
        (Get-NetNsRoute $script:red | Where-Object DestinationPrefix -eq '0.0.0.0/0').NextHop | Should -Be '198.18.34.1'
        (Get-NetNsSysctl $script:router net.ipv4.ip_forward).Value | Should -Be '1'
    }

    It 'is seen the same by a second pwsh, from the kernel objects alone' {
        # the same pwsh as this one, as a new process: $PSHOME holds pwsh.dll (the dotnet tool) or the pwsh executable
        $dll = Join-Path $PSHOME 'pwsh.dll'
        $exe, $pre = if (Test-Path $dll) { 'dotnet', @($dll) } else { (Join-Path $PSHOME 'pwsh'), @() }
        $out = & $exe @pre -NoProfile -NonInteractive -Command "Import-Module '$(Get-NetNsModulePath)'; (Get-NetNsNetwork $($script:router) $($script:net)).Members.Namespace -join ','"
        $out | Should -Be (($script:red, $script:blue | Sort-Object) -join ',')
    }

    It 'lets the clients reach each other and the gateway' {
        Test-NetNsConnection $script:red 198.18.34.3, 198.18.34.1 -Count 3 -Quiet | Should -Be $true, $true
        Test-NetNsConnection $script:blue 2001:db8:34::2 -Count 3 -Quiet | Should -BeTrue
    }

    It 'masquerades: a listener in wan sees the router''s wan address' {
        Get-SourceSeen -ListenIn $script:wan -Address 198.18.33.10 -Port 7301 -From $script:red -To 198.18.33.10 -ConnectPort 7301 |
            Should -Be '198.18.33.1'
    }

    It 'forwards a port on the router to a listener in a client' {
        $rule = Add-NetNsNatRule $script:router -PortForward -Port 8080 -ToAddress 198.18.34.3 -ToPort 80 -InputInterface wan0 -PassThru
        try {
            Get-SourceSeen -ListenIn $script:blue -Address 0.0.0.0 -Port 80 -From $script:wan -To 198.18.33.1 -ConnectPort 8080 |
                Should -Be '198.18.33.10'
        } finally {
            $rule | Remove-NetNsNatRule -Confirm:$false
        }
    }

    It 'fails once the masquerade rule is removed (wan has no route back)' {
        Get-NetNsNatRule $script:router -Kind Masquerade -Network $script:net | Remove-NetNsNatRule -Confirm:$false
        Get-SourceSeen -ListenIn $script:wan -Address 198.18.33.10 -Port 7302 -From $script:red -To 198.18.33.10 -ConnectPort 7302 |
            Should -BeNullOrEmpty
    }

    It 'Remove-NetNsNetwork leaves no link, rule or sysctl change behind, and the root namespace is untouched' {
        Remove-NetNsNetwork $script:router $script:net -Confirm:$false
        Get-NetNsNetwork $script:router | Should -BeNullOrEmpty
        (Get-NetNsLink $script:router).Name | Sort-Object | Should -Be 'lo', 'wan0'
        (Get-NetNsLink $script:red).Name | Should -Be 'lo'
        Get-NetNsNatRule $script:router | Should -BeNullOrEmpty
        (& ip netns exec $script:router nft list ruleset) -join "`n" | Should -BeNullOrEmpty
        (Get-NetNsSysctl $script:router net.ipv4.ip_forward).Value | Should -Be '0'
        (Get-NetNsSysctl $script:router net.ipv6.conf.all.forwarding).Value | Should -Be '0'
        (& nft list ruleset) -join "`n" | Should -Be $script:rootRules
        Get-Content /proc/sys/net/ipv4/ip_forward | Should -Be $script:rootForward
    }
}

Describe 'NAT rule and network errors' {
    BeforeAll {
        $script:ns = New-TestName
        New-NetNamespace -Name $script:ns | Out-Null
    }
    AfterAll { Remove-TestNamespace -Name $script:ns }

    It 'refuses an interface name that is not one, before anything is sent' {
        { Add-NetNsNatRule $script:ns -Masquerade -OutputInterface 'x"; flush ruleset' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.AddNetNsNatRuleCommand'
        Get-NetNsNatRule $script:ns | Should -BeNullOrEmpty
    }

    It 'refuses an interface name nftables would read as a pattern (<_>)' -ForEach 'e*', '@set', '$var' {
        { Add-NetNsNatRule $script:ns -Masquerade -OutputInterface $_ -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.AddNetNsNatRuleCommand'
        Get-NetNsNatRule $script:ns | Should -BeNullOrEmpty
    }

    It 'refuses a piped object of the caller''s own namespace in <Command> (the root is changed only when named)' -ForEach @(
        @{ Command = 'Add-NetNsNatRule'; Params = @{ Masquerade = $true; OutputInterface = 'nt-none' } }
        @{ Command = 'Remove-NetNsNatRule'; Params = @{ Handle = 1; Confirm = $false } }
        @{ Command = 'New-NetNsNetwork'; Params = @{ Name = 'ntnet'; Subnet = '198.18.35.0/24' } }
        @{ Command = 'Remove-NetNsNetwork'; Params = @{ Name = 'ntnet'; Confirm = $false } }
        @{ Command = 'Connect-NetNsNetwork'; Params = @{ Network = 'ntnet' } }
        @{ Command = 'Disconnect-NetNsNetwork'; Params = @{ Network = 'ntnet' } }
    ) {
        $rules = (& nft list ruleset) -join "`n"
        $forward = Get-Content /proc/sys/net/ipv4/ip_forward
        $links = (Get-NetNsLink).Name
        $err = $null
        [pscustomobject]@{ Namespace = $null } | & $Command @Params -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be "InvalidArgument,NetNs.Cmdlets.$($Command -replace '-')Command"
        $err[0].Exception.Message | Should -Match 'only when it is named'
        (& nft list ruleset) -join "`n" | Should -Be $rules
        Get-Content /proc/sys/net/ipv4/ip_forward | Should -Be $forward
        (Get-NetNsLink).Name | Should -Be $links
    }

    It 'says NetworkNotFound and RuleNotFound for what is not there' {
        { Get-NetNsNetwork $script:ns nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkNotFound,NetNs.Cmdlets.GetNetNsNetworkCommand'
        { Remove-NetNsNatRule $script:ns 4242 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'RuleNotFound,NetNs.Cmdlets.RemoveNetNsNatRuleCommand'
    }
}
