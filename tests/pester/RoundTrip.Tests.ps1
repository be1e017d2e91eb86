# Every object a NetNs cmdlet writes, fed to each cmdlet that acts on such a thing, both by value (-Name $link,
# -Network $net) and from the pipeline ($net | Connect-NetNsNetwork ...): the change must happen in the object's OWN
# namespace, and nothing with the test's names may appear in the caller's (root) namespace.
# Each case: Make (in namespace $ns, sometimes a second one $other) writes the object; Value and Pipe feed it;
# Check says the change happened where it should. Each run gets fresh namespaces and names.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest

    function Test-RootUntouched {
        param([string[]]$Names, [string]$Net)
        $rootLinks = @((Invoke-Expression 'ip -j link show' | ConvertFrom-Json).ifname)
        foreach ($n in $Names) { $rootLinks | Should -Not -Contain $n -Because "$n must not be made in the caller's namespace" }
        (& ip -o addr show) -join "`n" | Should -Not -Match ([regex]::Escape("198.18.$Net.")) -Because 'no address may land in the caller''s namespace'
        (& ip -o route show) -join "`n" | Should -Not -Match ([regex]::Escape("198.18.$Net.")) -Because 'no route may land in the caller''s namespace'
    }
}

Describe 'Objects round-trip into the cmdlets that act on them, in their own namespace' {
    BeforeEach {
        $script:ns, $script:other, $script:l1, $script:l2 = New-TestName -Count 4
        & ip netns add $script:ns
        & ip netns add $script:other
    }
    AfterEach { Remove-TestNamespace -Name $script:ns, $script:other }

    It '<Producer> -> <Consumer> (<Mode>)' -ForEach @(
        foreach ($mode in 'by value', 'from the pipeline') {
            @{ Producer = 'Get-NetNamespace'; Consumer = 'Set-NetNsLink'; Mode = $mode; Net = 101
                Make = { Get-NetNamespace $ns }
                Value = { Set-NetNsLink -Namespace $o -Name lo -Up }
                Pipe = { $o | Set-NetNsLink -Name lo -Up }
                Check = { (Get-IpLink -Namespace $ns -Name lo).flags | Should -Contain 'UP' } }
            @{ Producer = 'New-NetNamespace'; Consumer = 'New-VethPair'; Mode = $mode; Net = 102
                Make = { Remove-TestNamespace -Name $ns; New-NetNamespace $ns }
                Value = { New-VethPair $l1 $l2 -Namespace $o | Out-Null }
                Pipe = { $o | New-VethPair $l1 $l2 | Out-Null }
                Check = { Get-IpLink -Namespace $ns -Name $l1 | Should -Not -BeNullOrEmpty; Get-IpLink -Namespace $ns -Name $l2 | Should -Not -BeNullOrEmpty } }
            @{ Producer = 'Get-NetNamespace'; Consumer = 'Remove-NetNamespace'; Mode = $mode; Net = 103
                Make = { Get-NetNamespace $ns }
                Value = { Remove-NetNamespace -Name $o -Confirm:$false }
                Pipe = { $o | Remove-NetNamespace -Confirm:$false }
                Check = { Test-TestNamespace $ns | Should -BeFalse } }
            @{ Producer = 'Get-NetNsLink'; Consumer = 'Set-NetNsLink'; Mode = $mode; Net = 104
                Make = { Get-NetNsLink -Namespace $ns -Name lo }
                Value = { Set-NetNsLink -Name $o -Up }
                Pipe = { $o | Set-NetNsLink -Up }
                Check = { (Get-IpLink -Namespace $ns -Name lo).flags | Should -Contain 'UP' } }
            @{ Producer = 'New-NetNsLink'; Consumer = 'Remove-NetNsLink'; Mode = $mode; Net = 105
                Make = { New-NetNsLink -Namespace $ns -Name $l1 -Kind Bridge }
                Value = { Remove-NetNsLink -Name $o -Confirm:$false }
                Pipe = { $o | Remove-NetNsLink -Confirm:$false }
                Check = { Get-IpLink -Namespace $ns -Name $l1 | Should -BeNullOrEmpty } }
            @{ Producer = 'New-VethPair'; Consumer = 'Set-NetNsLink'; Mode = $mode; Net = 106
                Make = { New-VethPair $l1 $l2 -Namespace $ns }
                Value = { Set-NetNsLink -Name $o -Mtu 1400 }
                Pipe = { $o | Set-NetNsLink -Mtu 1400 }
                Check = { (Get-IpLink -Namespace $ns -Name $l1).mtu | Should -Be 1400 } }
            @{ Producer = 'New-VethPair'; Consumer = 'Remove-NetNsLink'; Mode = $mode; Net = 107
                Make = { New-VethPair $l1 $l2 -Namespace $ns }
                Value = { Remove-NetNsLink -Name $o -Confirm:$false }
                Pipe = { $o | Remove-NetNsLink -Confirm:$false }
                Check = { Get-IpLink -Namespace $ns -Name $l1 | Should -BeNullOrEmpty } }
            @{ Producer = 'New-VethPair'; Consumer = 'Add-BridgePort'; Mode = $mode; Net = 108
                Make = { New-NetNsLink -Namespace $ns -Name br0 -Kind Bridge | Out-Null; New-VethPair $l1 $l2 -Namespace $ns }
                Value = { Add-BridgePort -Bridge br0 -Name $o }
                Pipe = { $o | Add-BridgePort -Bridge br0 }
                Check = { (Get-IpLink -Namespace $ns -Name $l1).master | Should -Be 'br0' } }
            @{ Producer = 'Get-NetNsLink'; Consumer = 'Add-BridgePort'; Mode = $mode; Net = 109
                Make = { New-NetNsLink -Namespace $ns -Name br0 -Kind Bridge | Out-Null; New-VethPair $l1 $l2 -Namespace $ns | Out-Null; Get-NetNsLink -Namespace $ns -Name $l2 }
                Value = { Add-BridgePort -Bridge br0 -Name $o }
                Pipe = { $o | Add-BridgePort -Bridge br0 }
                Check = { (Get-IpLink -Namespace $ns -Name $l2).master | Should -Be 'br0' } }
            @{ Producer = 'Add-BridgePort'; Consumer = 'Remove-BridgePort'; Mode = $mode; Net = 110
                Make = { New-NetNsLink -Namespace $ns -Name br0 -Kind Bridge | Out-Null; New-VethPair $l1 $l2 -Namespace $ns | Out-Null; Add-BridgePort -Namespace $ns -Bridge br0 -Name $l1 -PassThru }
                Value = { Remove-BridgePort -Name $o -Confirm:$false }
                Pipe = { $o | Remove-BridgePort -Confirm:$false }
                Check = { (Get-IpLink -Namespace $ns -Name $l1).PSObject.Properties['master'] | Should -BeNullOrEmpty } }
            @{ Producer = 'Get-NetNsLink'; Consumer = 'Set-NetNsAddress'; Mode = $mode; Net = 111
                Make = { New-VethPair $l1 $l2 -Namespace $ns | Out-Null; Get-NetNsLink -Namespace $ns -Name $l1 }
                Value = { Set-NetNsAddress -InterfaceAlias $o -IPAddress 198.18.111.1/24 }
                Pipe = { $o | Set-NetNsAddress -IPAddress 198.18.111.1/24 }
                Check = { Get-IpAddress -Namespace $ns -InterfaceName $l1 | Should -Contain '198.18.111.1/24' } }
            @{ Producer = 'Set-NetNsAddress'; Consumer = 'Remove-NetNsAddress'; Mode = $mode; Net = 112
                Make = { New-VethPair $l1 $l2 -Namespace $ns | Out-Null; Set-NetNsAddress -Namespace $ns -InterfaceAlias $l1 -IPAddress 198.18.112.1/24 -PassThru }
                Value = { Remove-NetNsAddress -IPAddress $o -Confirm:$false }
                Pipe = { $o | Remove-NetNsAddress -Confirm:$false }
                Check = { Get-IpAddress -Namespace $ns -InterfaceName $l1 | Should -Not -Contain '198.18.112.1/24' } }
            @{ Producer = 'New-NetNsRoute'; Consumer = 'Remove-NetNsRoute'; Mode = $mode; Net = 113
                Make = {
                    New-VethPair $l1 $l2 -Namespace $ns -Up | Out-Null
                    Set-NetNsAddress -Namespace $ns -InterfaceAlias $l1 -IPAddress 198.18.113.1/24
                    New-NetNsRoute -Namespace $ns -DestinationPrefix 198.18.213.0/24 -NextHop 198.18.113.2
                }
                Value = { Remove-NetNsRoute -DestinationPrefix $o -Confirm:$false }
                Pipe = { $o | Remove-NetNsRoute -Confirm:$false }
                Check = { (& ip -n $ns -o route show) -join "`n" | Should -Not -Match '198\.18\.213\.0' } }
            @{ Producer = 'Get-NetNsSysctl'; Consumer = 'Set-NetNsSysctl'; Mode = $mode; Net = 114
                Make = { Get-NetNsSysctl -Namespace $ns -Key net.ipv4.ip_forward }
                Value = { Set-NetNsSysctl -Namespace $o -Key $o -Value 1 }
                Pipe = { $o | Set-NetNsSysctl -Value 1 }
                Check = { (& ip netns exec $ns cat /proc/sys/net/ipv4/ip_forward) | Should -Be '1' } }
            @{ Producer = 'Add-NetNsNatRule'; Consumer = 'Remove-NetNsNatRule'; Mode = $mode; Net = 115
                Make = { Add-NetNsNatRule -Namespace $ns -Masquerade -SourcePrefix 198.18.115.0/24 -OutputInterface lo -PassThru }
                Value = { Remove-NetNsNatRule -Namespace $o -Handle $o.Handle -Confirm:$false }
                Pipe = { $o | Remove-NetNsNatRule -Confirm:$false }
                Check = { (& ip netns exec $ns nft list ruleset) -join "`n" | Should -Not -Match '198\.18\.115\.0' } }
            @{ Producer = 'New-NetNsNetwork'; Consumer = 'Connect-NetNsNetwork'; Mode = $mode; Net = 116
                Make = { New-NetNsNetwork $l1 -Subnet 198.18.116.0/24 -Namespace $ns }
                Value = { Connect-NetNsNetwork -Network $o -Namespace $other | Out-Null }
                Pipe = { $o | Connect-NetNsNetwork -Namespace $other | Out-Null }
                Check = {
                    Get-IpAddress -Namespace $other -InterfaceName eth0 | Should -Contain '198.18.116.2/24'
                    (Get-NetNsNetwork -Namespace $ns $l1).Members.Namespace | Should -Be $other
                } }
            @{ Producer = 'Get-NetNsNetwork'; Consumer = 'Disconnect-NetNsNetwork'; Mode = $mode; Net = 117
                Make = { New-NetNsNetwork $l1 -Subnet 198.18.117.0/24 -Namespace $ns | Out-Null; Connect-NetNsNetwork $l1 -NetworkNamespace $ns -Namespace $other | Out-Null; Get-NetNsNetwork -Namespace $ns $l1 }
                Value = { Disconnect-NetNsNetwork -Network $o -Namespace $other -Confirm:$false }
                Pipe = { $o | Disconnect-NetNsNetwork -Namespace $other -Confirm:$false }
                Check = { Get-IpLink -Namespace $other -Name eth0 | Should -BeNullOrEmpty; (Get-NetNsNetwork -Namespace $ns $l1).Members | Should -BeNullOrEmpty } }
            @{ Producer = 'Connect-NetNsNetwork'; Consumer = 'Disconnect-NetNsNetwork'; Mode = $mode; Net = 118
                Make = { New-NetNsNetwork $l1 -Subnet 198.18.118.0/24 -Namespace $ns | Out-Null; Connect-NetNsNetwork $l1 -NetworkNamespace $ns -Namespace $other }
                Value = { Disconnect-NetNsNetwork -Network $o -Namespace $other -Confirm:$false }
                Pipe = { $o | Disconnect-NetNsNetwork -Confirm:$false }
                Check = { Get-IpLink -Namespace $other -Name eth0 | Should -BeNullOrEmpty; (Get-NetNsNetwork -Namespace $ns $l1).Members | Should -BeNullOrEmpty } }
            @{ Producer = 'New-NetNsNetwork'; Consumer = 'Remove-NetNsNetwork'; Mode = $mode; Net = 119
                Make = { New-NetNsNetwork $l1 -Subnet 198.18.119.0/24 -Namespace $ns }
                Value = { Remove-NetNsNetwork -Namespace $o -Name $o -Confirm:$false }
                Pipe = { $o | Remove-NetNsNetwork -Confirm:$false }
                Check = { Get-IpLink -Namespace $ns -Name $l1 | Should -BeNullOrEmpty } }
        }
    ) {
        $ErrorActionPreference = 'Stop' # any error of the consumer fails the case
        $ns, $other, $l1, $l2 = $script:ns, $script:other, $script:l1, $script:l2
        $o = & $Make
        $o | Should -Not -BeNullOrEmpty
        if ($Mode -eq 'by value') { & $Value } else { & $Pipe }
        & $Check
        Test-RootUntouched -Names $l1, $l2 -Net $Net
    }
}

Describe 'Mismatched and empty origins of objects given by value' {
    BeforeAll {
        $script:a, $script:b = New-TestNamespace -Count 2
    }
    AfterAll { Remove-TestNamespace -Name $script:a, $script:b }

    It 'refuses an object of one namespace with -Namespace naming another (nothing changes in either)' {
        $lo = Get-NetNsLink -Namespace $script:a -Name lo
        $err = $null
        Set-NetNsLink -Name $lo -Namespace $script:b -Up -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,NetNs.Cmdlets.SetNetNsLinkCommand'
        $err[0].Exception.Message | Should -Match ([regex]::Escape("in namespace '$($script:a)'"))
        (Get-IpLink -Namespace $script:a -Name lo).flags | Should -Not -Contain 'UP'
        (Get-IpLink -Namespace $script:b -Name lo).flags | Should -Not -Contain 'UP'
    }

    It 'refuses an object of the caller''s own namespace given by value, and takes it with -Namespace $PID' {
        # A NetNs link object as the caller's namespace gives them (empty Namespace), of a name it does not have: even a
        # regression could only fail with LinkNotFound there.
        $lo = [NetNs.Core.NetNsLink]@{ Name = (New-TestName); Mtu = 1500 }
        $err = $null
        Set-NetNsLink -Name $lo -Mtu 1300 -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,NetNs.Cmdlets.SetNetNsLinkCommand'
        $err[0].Exception.Message | Should -Match 'only when it is named \(-Namespace \$PID\)'
        # Named, it is taken (-WhatIf: nothing changes in the caller's namespace).
        $err = $null
        Set-NetNsLink -Name $lo -Namespace $PID -Mtu 1300 -WhatIf -ErrorVariable err
        $err | Should -BeNullOrEmpty
    }
}
