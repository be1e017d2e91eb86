BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

# Two namespaces joined by a veth: a0 in A (198.18.79.1/30), b0 in B (.2). This kernel has no sch_netem: rate is a
# tbf, loss an nftables rule on the peer's ingress, delay is NetemNotAvailable.
Describe 'Set-, Get- and Clear-NetNsLinkImpairment' {
    BeforeEach {
        $script:a, $script:b = New-TestNamespace -Count 2
        & ip -n $script:a link add a0 type veth peer name b0 netns $script:b
        & ip -n $script:a addr add 198.18.79.1/30 dev a0
        & ip -n $script:b addr add 198.18.79.2/30 dev b0
        & ip -n $script:a link set a0 up
        & ip -n $script:b link set b0 up
    }
    AfterEach { Remove-TestNamespace -Name $script:a, $script:b }

    It 'sets a rate and a loss, as tc and nft then show them, and -PassThru reads them back' {
        $i = Set-NetNsLinkImpairment -Namespace $script:a -Name a0 -Rate 10mbit -Loss 1 -PassThru
        $i.Rate | Should -Be '10mbit'
        $i.RateBitsPerSecond | Should -Be 10000000
        $i.Loss | Should -Be 1
        $i.LossBy | Should -Be 'nftables'
        $i.Qdisc | Should -Be 'tbf'
        (& ip netns exec $script:a tc qdisc show dev a0) -join "`n" | Should -Match 'tbf .*rate 10Mbit'
        (& ip netns exec $script:b nft list table netdev netns) -join "`n" | Should -Match 'numgen random mod 10000 < 100 drop'
    }

    It 'gives NetemNotAvailable for a delay and leaves the link as it was' {
        Set-NetNsLinkImpairment $script:a a0 -Rate 5mbit
        $err = $null
        Set-NetNsLinkImpairment $script:a a0 -Delay 20ms -Jitter 2ms -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'NetemNotAvailable,NetNs.Cmdlets.SetNetNsLinkImpairmentCommand'
        $err[0].CategoryInfo.Category | Should -Be 'NotInstalled'
        $err[0].Exception.Message | Should -Match 'sch_netem'
        (Get-NetNsLinkImpairment $script:a a0).Rate | Should -Be '5mbit'
    }

    It 'partitions the link so Test-NetNsConnection fails both ways, and -Heal brings back the rate set before' {
        Set-NetNsLinkImpairment $script:a a0 -Rate 20mbit
        Test-NetNsConnection $script:a 198.18.79.2 -Quiet | Should -BeTrue
        (Set-NetNsLinkImpairment $script:a a0 -Partition -PassThru).Partitioned | Should -BeTrue
        Test-NetNsConnection $script:a 198.18.79.2 -Quiet | Should -BeFalse
        Test-NetNsConnection $script:b 198.18.79.1 -Quiet | Should -BeFalse
        $healed = Set-NetNsLinkImpairment $script:a a0 -Heal -PassThru
        $healed.Partitioned | Should -BeFalse
        $healed.Rate | Should -Be '20mbit'
        Test-NetNsConnection $script:a 198.18.79.2 -Quiet | Should -BeTrue
    }

    It 'lists only impaired links without -Name, and clears them from the pipeline' {
        Get-NetNsLinkImpairment $script:a | Should -BeNullOrEmpty
        Set-NetNsLinkImpairment $script:a a0 -Rate 1gbit -Loss 2.5
        $listed = @(Get-NetNsLinkImpairment $script:a)
        $listed.Count | Should -Be 1
        $listed[0].InterfaceAlias | Should -Be 'a0'
        $listed[0].Namespace | Should -Be $script:a
        $listed | Clear-NetNsLinkImpairment
        Get-NetNsLinkImpairment $script:a | Should -BeNullOrEmpty
        (& ip netns exec $script:a tc qdisc show dev a0) -join "`n" | Should -Not -Match 'tbf'
        (& ip netns exec $script:b nft list ruleset) -join "`n" | Should -BeNullOrEmpty
    }

    It 'takes the namespace and link from a piped NetNsLink' {
        Get-NetNsLink -Namespace $script:a -Name a0 | Set-NetNsLinkImpairment -Rate 2mbit
        (Get-NetNsLinkImpairment $script:a a0).Rate | Should -Be '2mbit'
    }

    It 'changes nothing with -WhatIf' {
        Set-NetNsLinkImpairment $script:a a0 -Rate 10mbit -Loss 1 -WhatIf
        Set-NetNsLinkImpairment $script:a a0 -Partition -WhatIf
        (Get-NetNsLinkImpairment $script:a a0).IsEmpty | Should -BeTrue
    }

    It 'refuses a rate that is not one at binding, and a missing link with LinkNotFound' {
        { Set-NetNsLinkImpairment $script:a a0 -Rate fast -ErrorAction Stop } | Should -Throw '*not a rate*'
        $err = $null
        Set-NetNsLinkImpairment $script:a nope0 -Rate 1mbit -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'LinkNotFound,NetNs.Cmdlets.SetNetNsLinkImpairmentCommand'
    }
}
