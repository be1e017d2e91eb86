BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

# One strict address parser for every cmdlet: what IPAddress.Parse (and inet_aton) would read as another address is
# refused with one clear error, and nothing is made.
Describe 'Addresses given to NAT, network and gateway parameters' {
    BeforeAll {
        $script:router, $script:client = New-TestNamespace -Count 2
        $script:net = 'nt' + $script:router.Substring(3, 6)
        New-NetNsNetwork $script:net -Subnet 198.18.74.0/24 -Namespace $script:router | Out-Null
    }
    AfterAll { Remove-TestNamespace -Name $script:router, $script:client }

    It 'Add-NetNsNatRule -ToAddress <Bad> is refused and adds no rule' -ForEach @(
        @{ Bad = '198.18.258' }, @{ Bad = '198.18.30725' }, @{ Bad = '1' }, @{ Bad = '0x7f.1' }, @{ Bad = '010.0.0.1' }, @{ Bad = 'fe80::1%eth0' }
    ) {
        { Add-NetNsNatRule -Namespace $script:router -PortForward -Protocol Tcp -Port 8080 -ToAddress $Bad -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,NetNs.Cmdlets.AddNetNsNatRuleCommand'
        @(Get-NetNsNatRule -Namespace $script:router).Count | Should -Be 0
    }

    It 'Connect-NetNsNetwork -IPAddress <Bad> is refused and connects nothing' -ForEach @(
        @{ Bad = '198.18.30725' }, @{ Bad = '0x7f.1' }, @{ Bad = '1' }
    ) {
        { Connect-NetNsNetwork $script:net -NetworkNamespace $script:router -Namespace $script:client -IPAddress $Bad -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,NetNs.Cmdlets.ConnectNetNsNetworkCommand'
        (& ip -n $script:client -j link show | ConvertFrom-Json).ifname | Should -Be 'lo'
    }

    It 'takes a strict address and an IPAddress object' {
        Add-NetNsNatRule -Namespace $script:router -PortForward -Protocol Tcp -Port 8080 -ToAddress 198.18.74.10 -Confirm:$false | Out-Null
        Add-NetNsNatRule -Namespace $script:router -PortForward -Protocol Tcp -Port 8081 -ToAddress ([ipaddress]'198.18.74.11') -Confirm:$false | Out-Null
        (Get-NetNsNatRule -Namespace $script:router).Count | Should -Be 2
        Get-NetNsNatRule -Namespace $script:router | Remove-NetNsNatRule -Confirm:$false
    }

    It 'refuses a second network on an overlapping subnet in the same namespace, and makes nothing' {
        $other = 'nu' + $script:router.Substring(3, 6)
        { New-NetNsNetwork $other -Subnet 198.18.74.128/25 -Namespace $script:router -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.NewNetNsNetworkCommand'
        (& ip -n $script:router -j link show | ConvertFrom-Json).ifname | Should -Not -Contain $other
        New-NetNsNetwork $other -Subnet 198.18.76.0/24 -Namespace $script:router | Out-Null # a subnet of its own is fine
        (Get-NetNsNetwork -Namespace $script:router).Name | Should -Contain $other
    }

    It 'Set-NetNsAddress -DefaultGateway <Bad> is refused before anything changes' -ForEach @(
        @{ Bad = '0.0.0.0' }, @{ Bad = '::' }, @{ Bad = '255.255.255.255' }, @{ Bad = '224.0.0.1' }, @{ Bad = 'ff02::1' }
    ) {
        $err = $null
        Set-NetNsAddress -Namespace $script:client -InterfaceAlias lo -IPAddress 198.18.75.1/24 -DefaultGateway $Bad -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,NetNs.Cmdlets.SetNetNsAddressCommand'
        "$($err[0])" | Should -Match 'cannot be a gateway'
        (& ip -n $script:client -j addr show dev lo | ConvertFrom-Json).addr_info.local | Should -Not -Contain '198.18.75.1'
    }
}
