# Issue 19: every table view, at 80 columns, shows the columns users look at, whole: one row per object, no line
# wider than 80, and the value a user reads the table for (a peer, a rule, a sysctl key, a state) not cut.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
    $script:a, $script:b = New-TestNamespace -Count 2
    $script:lab = 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
    # Names as long as the kernel allows (15 bytes), addresses of both families.
    New-VethPair -Name 'uplink-to-core0' -PeerName 'downlink-edge01' -Namespace $a -PeerNamespace $b -Up | Out-Null
    Set-NetNsAddress $a -InterfaceAlias uplink-to-core0 -IPAddress 198.18.93.1/24, 2001:db8:93::1/64 -SkipDuplicateAddressDetection
    Set-NetNsAddress $b -InterfaceAlias downlink-edge01 -IPAddress 198.18.93.2/24, 2001:db8:93::2/64 -SkipDuplicateAddressDetection
    New-NetNsLink -Namespace $a -Name br-services-01 -Kind Bridge | Out-Null
    & ip -n $a link add svc-port-00001 type veth peer name svc-peer-000001
    Add-BridgePort -Namespace $a -Name svc-port-00001 -Bridge br-services-01
    Add-NetNsNatRule -Namespace $a -Masquerade -SourcePrefix 198.18.93.0/24 -OutputInterface uplink-to-core0 | Out-Null
    Set-NetNsLinkImpairment -Namespace $a -Name uplink-to-core0 -Rate 10mbit -Loss 1.5
    Deploy-NetNsLab -Definition @{ Name = $lab; Nodes = @{ r1 = @{ Forwarding = $true }; h1 = @{} }
        Networks = @{ lan = @{ Subnet = '198.18.94.0/24'; Members = 'r1', 'h1'; Gateway = 'r1' } } } | Out-Null
    $script:cases = [ordered]@{
        NetNamespace         = @{ Objects = { Get-NetNamespace -Name $a }; Whole = { 'Active' } }
        VethPair             = @{ Objects = { Get-NetNsLink -Namespace $a -Name uplink-to-core0 | ForEach-Object { [NetNs.Core.VethPair]@{ Name = $_.Name; Namespace = $a; PeerName = 'downlink-edge01'; PeerNamespace = $b; State = 'Up' } } }; Whole = { 'downlink-edge01', $b } }
        NetNsLink            = @{ Objects = { Get-NetNsLink -Namespace $a -Name uplink-to-core0 }; Whole = { "Namespace: $a", "peer downlink-edge01 in $b" } }
        BridgePort           = @{ Objects = { Get-BridgePort -Namespace $a }; Whole = { 'br-services-01', 'svc-port-00001' } }
        NetNsAddress         = @{ Objects = { Get-NetNsAddress -Namespace $a -InterfaceAlias uplink-to-core0 }; Whole = { '2001:db8:93::1', '198.18.93.1' } }
        NetNsRoute           = @{ Objects = { Get-NetNsRoute -Namespace $a }; Whole = { '198.18.93.0/24', 'uplink-to-core0' } }
        NetNsSysctl          = @{ Objects = { Get-NetNsSysctl $a net.ipv6.conf.default.disable_ipv6 }; Whole = { 'net.ipv6.conf.default.disable_ipv6' } }
        NetNsNatRule         = @{ Objects = { Get-NetNsNatRule $a }; Whole = { 'ip saddr 198.18.93.0/24 oifname "uplink-to-core0" masquerade' } }
        NetNsLinkImpairment  = @{ Objects = { Get-NetNsLinkImpairment -Namespace $a -Name uplink-to-core0 }; Whole = { '10mbit', '1.5' } }
        ConnectionTestResult = @{ Objects = { Test-NetNsConnection $a 198.18.93.2 -Count 1 }; Whole = { '198.18.93.2' } }
        NetNsNetwork         = @{ Objects = { Get-NetNsNetwork -Namespace "$lab-lan" }; Whole = { "lab $lab", '198.18.94.0/24', 'h1, r1' } }
        LabInfo              = @{ Objects = { Get-NetNsLab $lab }; Whole = { $lab } }
        LabReachability      = @{ Objects = { Test-NetNsLab $lab -Count 1 }; Whole = { 'h1', 'r1' } }
    }
}
AfterAll {
    Remove-NetNsLab $script:lab -Confirm:$false -ErrorAction SilentlyContinue
    Remove-TestNamespace -Name $script:a, $script:b
}

Describe 'table views at 80 columns' {
    It 'Test-NetNsLab shows the round trip as Test-NetNsConnection does: a number of milliseconds under RTT(ms)' {
        $lab = Test-NetNsLab $script:lab -Count 1 | Out-String -Width 80
        $one = Test-NetNsConnection $script:a 198.18.93.2 -Count 1 | Out-String -Width 80
        foreach ($t in $lab, $one) { $t | Should -Match 'RTT\(ms\)'; $t | Should -Match '\s\d+\.\d\d\r?\n' }
        (Test-NetNsLab $script:lab -Count 1)[0].RoundTripTime | Should -BeOfType [timespan]
    }

    It '<_> fits 80 columns and shows what it is read for, whole' -ForEach @(
        'NetNamespace', 'VethPair', 'NetNsLink', 'BridgePort', 'NetNsAddress', 'NetNsRoute', 'NetNsSysctl', 'NetNsNatRule',
        'NetNsLinkImpairment', 'ConnectionTestResult', 'NetNsNetwork', 'LabInfo', 'LabReachability') {
        $case = $script:cases[$_]
        $objects = @(& $case.Objects)
        $objects | Should -Not -BeNullOrEmpty
        $text = $objects | Out-String -Width 80
        $lines = $text -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ }
        $lines.Count | Should -BeGreaterThan 2
        $lines | Where-Object { $_ -match '^-+\s' } | Should -Not -BeNullOrEmpty -Because 'a table view, not a list'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' is a line of the table" }
        $text | Should -Not -Match '…' -Because "no column of $_ is cut at 80 columns:`n$text"
        foreach ($w in & $case.Whole) { $text | Should -BeLike "*$w*" -Because "the table shows '$w' whole:`n$text" }
    }
}
