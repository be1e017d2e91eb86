BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

# Two namespaces joined by a veth: m0 in A (198.18.81.1/30), m1 in B (.2).
Describe 'Measure-NetNsLink and the counters of Get-NetNsLink' {
    BeforeAll {
        $script:a, $script:b = New-TestNamespace -Count 2
        & ip -n $script:a link add m0 type veth peer name m1 netns $script:b
        & ip -n $script:a addr add 198.18.81.1/30 dev m0
        & ip -n $script:b addr add 198.18.81.2/30 dev m1
        & ip -n $script:a link set m0 up
        & ip -n $script:b link set m1 up
    }
    AfterAll { Remove-TestNamespace -Name $script:a, $script:b }

    It 'gives Get-NetNsLink objects the kernel''s counters, as ip -s shows them, and keeps them out of the table' {
        Invoke-Ping -Namespace $script:a -Address 198.18.81.2 | Should -BeTrue
        $link = Get-NetNsLink $script:a m0
        $ip = (Invoke-IpJson -Namespace $script:a -Arguments '-s', 'link', 'show', 'm0')[0].stats64
        $link.TxPackets | Should -BeGreaterThan 0
        $link.TxPackets | Should -BeLessOrEqual $ip.tx.packets
        $link.RxBytes | Should -BeLessOrEqual $ip.rx.bytes
        $link.RxDropped | Should -Be $ip.rx.dropped
        $link.TxErrors | Should -Be $ip.tx.errors
        foreach ($p in 'RxBytes', 'TxBytes', 'RxPackets', 'TxPackets', 'RxErrors', 'TxErrors', 'RxDropped', 'TxDropped') {
            $link.PSObject.Properties.Name | Should -Contain $p
        }
        ($link | Format-Table | Out-String -Width 120) | Should -Not -Match 'RxBytes|TxPackets'
    }

    It 'measures the links piped in over one interval: one object each, the pings counted both ways' {
        $ns = $script:a
        $job = Start-ThreadJob { param($ns) & ip netns exec $ns ping -c 10 -i 0.05 -W 1 198.18.81.2 } -ArgumentList $ns
        try {
            $rates = Get-NetNsLink $script:a m0, lo | Measure-NetNsLink -Duration 1500ms
        }
        finally { $job | Receive-Job -Wait -AutoRemoveJob | Out-Null }
        $rates.Count | Should -Be 2
        $rates.Name | Should -Be 'm0', 'lo'
        $rates.Namespace | Select-Object -Unique | Should -Be $script:a
        $m0 = $rates[0]
        $m0.Interval.TotalSeconds | Should -BeGreaterOrEqual 1.5
        $m0.Interval.TotalSeconds | Should -BeLessThan 2.5
        $m0.TxPackets | Should -BeGreaterOrEqual 9        # at most one echo of ten falls outside the interval
        $m0.RxPackets | Should -BeGreaterOrEqual 9
        $m0.TxBitsPerSecond | Should -Be ($m0.TxBytes * 8 / $m0.Interval.TotalSeconds)
        $m0.TxPacketsPerSecond | Should -BeGreaterThan 4
        $rates[1].TxPackets | Should -Be 0
        $table = $rates | Format-Table | Out-String -Width 80
        $table | Should -Match "$($script:a):m0\s+\d[\d.]* [kM]?bit/s\s+\d[\d.]* [kM]?bit/s\s+\d+/\d+\s+0/0"
        ($table -split "`n" | Where-Object { $_.TrimEnd().Length -gt 80 }) | Should -BeNullOrEmpty
    }

    It 'reports a missing link as LinkNotFound and still measures the others' {
        $err = $null
        $rates = Measure-NetNsLink $script:a m0, nt-none0 -Duration 00:00:00.1 -ErrorVariable err -ErrorAction SilentlyContinue
        $rates.Name | Should -Be 'm0'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'LinkNotFound,NetNs.Cmdlets.MeasureNetNsLinkCommand'
    }

    It 'takes durations as tc writes them, and refuses one too short to measure before measuring anything' {
        { Measure-NetNsLink $script:a m0 -Duration 1ms -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.MeasureNetNsLinkCommand'
        # An unquoted 1s is PowerShell's short literal 1: taken as seconds, as written.
        (Measure-NetNsLink $script:a m0 -Duration 1s).Interval.TotalSeconds | Should -BeGreaterOrEqual 1
        { Measure-NetNsLink $script:a m0 -Duration 'soon' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,NetNs.Cmdlets.MeasureNetNsLinkCommand'
    }
}
