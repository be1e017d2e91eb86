BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Get-BridgePort' {
    BeforeAll {
        $script:ns = New-TestNamespace
        & ip -n $script:ns link add br0 type bridge
        & ip -n $script:ns link add br1 type bridge
        & ip -n $script:ns link add p1 type veth peer name p2
        & ip -n $script:ns link add q1 type veth peer name q2
        & ip -n $script:ns link set p1 master br0
        & ip -n $script:ns link set p2 master br0
        & ip -n $script:ns link set q1 master br1
        & ip -n $script:ns link set p1 up
    }
    AfterAll { Remove-TestNamespace -Name $script:ns }

    It 'lists the ports of one bridge' {
        $ports = Get-BridgePort -Namespace $script:ns -Bridge br0
        $ports.Name | Sort-Object | Should -Be @('p1', 'p2')
        $ports | ForEach-Object { $_.Bridge | Should -Be 'br0'; $_.Namespace | Should -Be $script:ns }
        ($ports | Where-Object Name -EQ p1).State | Should -Be 'Up'
        ($ports | Where-Object Name -EQ p2).State | Should -Be 'Down'
        ($ports | Where-Object Name -EQ p1).InterfaceIndex | Should -Be (Get-IpLink -Namespace $script:ns -Name p1).ifindex
    }

    It 'lists the ports of every bridge when -Bridge is omitted' {
        $ports = Get-BridgePort -Namespace $script:ns
        ($ports | ForEach-Object { "$($_.Bridge)/$($_.Name)" } | Sort-Object) | Should -Be @('br0/p1', 'br0/p2', 'br1/q1')
    }

    It 'takes the namespace from the pipeline' {
        (Get-NetNamespace $script:ns | Get-BridgePort -Bridge br1).Name | Should -Be 'q1'
    }

    It 'writes LinkNotFound for a missing bridge' {
        Get-BridgePort -Namespace $script:ns -Bridge nobr -ErrorVariable ev -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $ev[0].FullyQualifiedErrorId | Should -Be 'LinkNotFound,NetNs.Cmdlets.GetBridgePortCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].TargetObject | Should -Be 'nobr'
    }

    It 'shows a table with the view''s column headers, and small JSON' {
        $text = Get-BridgePort -Namespace $script:ns | Format-Table | Out-String
        foreach ($h in 'Bridge', 'Name', 'Namespace', 'State') { $text | Should -Match "\b$h\b" }
        Get-FormatData -TypeName NetNs.Core.BridgePort | Should -Not -BeNullOrEmpty
        (Get-BridgePort -Namespace $script:ns | ConvertTo-Json).Length | Should -BeLessThan 4096
    }
}
