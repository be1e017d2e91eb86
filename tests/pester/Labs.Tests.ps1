# Classic labs, end to end: real pings between namespaces.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Lab: two namespaces on a veth' {
    BeforeAll {
        $script:a, $script:b = New-TestName -Count 2
        $script:a, $script:b | New-NetNamespace | Out-Null
        New-VethPair -Name eth0 -PeerName eth0 -Namespace $script:a -PeerNamespace $script:b -Up | Out-Null
        Set-NetNsAddress -Namespace $script:a -InterfaceAlias eth0 -IPAddress 198.18.10.1/24, 2001:db8:10::1/64 -SkipDuplicateAddressDetection
        Set-NetNsAddress -Namespace $script:b -InterfaceAlias eth0 -IPAddress 198.18.10.2/24, 2001:db8:10::2/64 -SkipDuplicateAddressDetection
    }
    AfterAll { Remove-TestNamespace -Name $script:a, $script:b }

    It 'pings across the veth over IPv4 both ways' {
        Invoke-Ping -Namespace $script:a -Address 198.18.10.2 | Should -BeTrue
        Invoke-Ping -Namespace $script:b -Address 198.18.10.1 | Should -BeTrue
    }

    It 'pings across the veth over IPv6' {
        Invoke-Ping -Namespace $script:a -Address 2001:db8:10::2 | Should -BeTrue
    }

    It 'does not answer for an address nobody has' {
        Invoke-Ping -Namespace $script:a -Address 198.18.10.3 -Attempts 1 | Should -BeFalse
    }

    It 'stops answering when the link goes down' {
        Set-NetNsLink -Namespace $script:b -Name eth0 -Down
        try { Invoke-Ping -Namespace $script:a -Address 198.18.10.2 -Attempts 1 | Should -BeFalse }
        finally { Set-NetNsLink -Namespace $script:b -Name eth0 -Up }
    }
}

Describe 'Lab: three namespaces on a bridge in a fourth' {
    BeforeAll {
        $script:sw = New-TestName
        $script:hosts = New-TestName -Count 3
        New-NetNamespace -Name (@($script:sw) + $script:hosts) | Out-Null
        New-NetNsLink -Namespace $script:sw -Name br0 -Kind Bridge -Up | Out-Null
        Set-NetNsAddress -Namespace $script:sw -InterfaceAlias br0 -IPAddress 198.18.20.254/24
        for ($i = 0; $i -lt 3; $i++) {
            New-VethPair -Namespace $script:sw -Name "port$i" -PeerName eth0 -PeerNamespace $script:hosts[$i] -Up | Add-BridgePort -Bridge br0
            Set-NetNsAddress -Namespace $script:hosts[$i] -InterfaceAlias eth0 -IPAddress "198.18.20.$($i + 1)/24"
        }
    }
    AfterAll { Remove-TestNamespace -Name (@($script:sw) + $script:hosts) }

    It 'has the three ports on the bridge' {
        (Get-BridgePort -Namespace $script:sw -Bridge br0).Name | Sort-Object | Should -Be @('port0', 'port1', 'port2')
    }

    It 'host <_> pings the other hosts and the bridge address' -ForEach 0, 1, 2 {
        $me = $_
        for ($j = 0; $j -lt 3; $j++) {
            if ($j -ne $me) { Invoke-Ping -Namespace $script:hosts[$me] -Address "198.18.20.$($j + 1)" | Should -BeTrue -Because "host $me -> host $j" }
        }
        Invoke-Ping -Namespace $script:hosts[$me] -Address 198.18.20.254 | Should -BeTrue
    }

    It 'loses a host whose port leaves the bridge' {
        Remove-BridgePort -Namespace $script:sw -Name port2
        try { Invoke-Ping -Namespace $script:hosts[0] -Address 198.18.20.3 -Attempts 1 | Should -BeFalse }
        finally { Add-BridgePort -Namespace $script:sw -Bridge br0 -Name port2 }
    }
}

Describe 'Lab: a router between two subnets' {
    BeforeAll {
        $script:left, $script:router, $script:right = New-TestName -Count 3
        $script:left, $script:router, $script:right | New-NetNamespace | Out-Null
        New-VethPair -Namespace $script:left -Name eth0 -PeerName left0 -PeerNamespace $script:router -Up | Out-Null
        New-VethPair -Namespace $script:right -Name eth0 -PeerName right0 -PeerNamespace $script:router -Up | Out-Null
        Set-NetNsAddress -Namespace $script:router -InterfaceAlias left0 -IPAddress 198.18.30.1/24
        Set-NetNsAddress -Namespace $script:router -InterfaceAlias right0 -IPAddress 198.18.31.1/24
        Set-NetNsAddress -Namespace $script:left -InterfaceAlias eth0 -IPAddress 198.18.30.2/24 -DefaultGateway 198.18.30.1
        Set-NetNsAddress -Namespace $script:right -InterfaceAlias eth0 -IPAddress 198.18.31.2/24 -DefaultGateway 198.18.31.1
    }
    AfterAll { Remove-TestNamespace -Name $script:left, $script:router, $script:right }

    It 'gives each end a default route through the router' {
        (Get-NetNsRoute -Namespace $script:left -DestinationPrefix default).NextHop | Should -Be '198.18.30.1'
        (Get-NetNsRoute -Namespace $script:right -DestinationPrefix default).NextHop | Should -Be '198.18.31.1'
    }

    It 'does not forward until ip_forward is set in the router namespace' {
        (Get-NetNsSysctl -Namespace $script:router -Key net.ipv4.ip_forward).Value | Should -Be '0'
        Invoke-Ping -Namespace $script:left -Address 198.18.31.2 -Attempts 1 | Should -BeFalse
    }

    It 'forwards between the subnets once Set-NetNsSysctl net.ipv4.ip_forward 1 runs in the router' {
        $rootBefore = Get-Content /proc/sys/net/ipv4/ip_forward
        Set-NetNsSysctl -Namespace $script:router -Key net.ipv4.ip_forward -Value 1
        Invoke-Ping -Namespace $script:left -Address 198.18.31.2 | Should -BeTrue
        Invoke-Ping -Namespace $script:right -Address 198.18.30.2 | Should -BeTrue
        Get-Content /proc/sys/net/ipv4/ip_forward | Should -Be $rootBefore
    }
}
