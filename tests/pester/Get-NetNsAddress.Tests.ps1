BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Get-NetNsAddress' {
    BeforeAll {
        $script:ns = New-TestNamespace
        & ip -n $script:ns link add va type veth peer name vb
        & ip -n $script:ns addr add 198.18.0.1/24 dev va
        & ip -n $script:ns addr add 198.18.1.1/16 dev vb
        & ip -n $script:ns addr add 2001:db8:5::1/64 dev vb nodad
    }
    AfterAll { Remove-TestNamespace -Name $script:ns }

    It 'lists the addresses ip addr shows' {
        $mine = Get-NetNsAddress -Namespace $script:ns | ForEach-Object { "$_" }
        foreach ($a in Get-IpAddress -Namespace $script:ns) { $mine | Should -Contain $a }
        @($mine).Count | Should -Be @(Get-IpAddress -Namespace $script:ns).Count
    }

    It 'describes an address NetTCPIP-style, and ToString gives addr/len' {
        $a = Get-NetNsAddress -Namespace $script:ns -IPAddress 198.18.0.1
        $a.IPAddress | Should -Be '198.18.0.1'
        $a.PrefixLength | Should -Be 24
        $a.AddressFamily | Should -Be 'IPv4'
        $a.InterfaceAlias | Should -Be 'va'
        $a.InterfaceIndex | Should -Be (Get-IpLink -Namespace $script:ns -Name va).ifindex
        $a.Namespace | Should -Be $script:ns
        $a.ToString() | Should -Be '198.18.0.1/24'
    }

    It 'filters by -InterfaceAlias, -AddressFamily and -IPAddress wildcards' {
        (Get-NetNsAddress -Namespace $script:ns -InterfaceAlias va).IPAddress | Should -Be '198.18.0.1'
        (Get-NetNsAddress -Namespace $script:ns -AddressFamily IPv6 -InterfaceAlias vb).IPAddress | Should -Be '2001:db8:5::1'
        (Get-NetNsAddress -Namespace $script:ns -IPAddress '198.18.*').IPAddress | Sort-Object | Should -Be @('198.18.0.1', '198.18.1.1')
    }

    It 'takes the namespace from the pipeline' {
        (Get-NetNamespace $script:ns | Get-NetNsAddress -AddressFamily IPv4).IPAddress | Sort-Object | Should -Be @('198.18.0.1', '198.18.1.1')
    }

    It 'writes NamespaceNotFound for a missing namespace' {
        $missing = New-TestName
        Get-NetNsAddress -Namespace $missing -ErrorVariable ev -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $ev[0].FullyQualifiedErrorId | Should -Be 'NamespaceNotFound,NetNs.Cmdlets.GetNetNsAddressCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'converts to small, finite JSON' {
        $json = Get-NetNsAddress -Namespace $script:ns | ConvertTo-Json
        $json.Length | Should -BeLessThan 4096
        (@($json | ConvertFrom-Json) | Where-Object IPAddress -EQ '198.18.0.1').PrefixLength | Should -Be 24
    }

    It 'shows a table with the view''s column headers' {
        $text = Get-NetNsAddress -Namespace $script:ns | Format-Table | Out-String
        foreach ($h in 'InterfaceAlias', 'IPAddress', 'PrefixLength', 'Family') { $text | Should -Match "\b$h\b" }
        $text | Should -Match '198\.18\.0\.1'
        Get-FormatData -TypeName NetNs.Core.NetNsAddress | Should -Not -BeNullOrEmpty
    }
}
