# The NAT lab: a private network behind a router namespace that masquerades to an upstream network.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Lab: a private network behind NAT' -Skip:(-not (Get-Command nft -ErrorAction SilentlyContinue)) {
    BeforeAll {
        # inside (198.18.30.10) -- router (198.18.30.1 | 198.18.31.1) -- outside (198.18.31.10, no route back)
        $script:inside, $script:router, $script:outside = New-TestName -Count 3
        New-NetNamespace -Name $script:inside, $script:router, $script:outside | Out-Null
        New-VethPair -Name eth0 -PeerName lan0 -Namespace $script:inside -PeerNamespace $script:router -Up | Out-Null
        New-VethPair -Name eth0 -PeerName wan0 -Namespace $script:outside -PeerNamespace $script:router -Up | Out-Null
        Set-NetNsAddress -Namespace $script:router -InterfaceAlias lan0 -IPAddress 198.18.30.1/24
        Set-NetNsAddress -Namespace $script:router -InterfaceAlias wan0 -IPAddress 198.18.31.1/24
        Set-NetNsAddress -Namespace $script:inside -InterfaceAlias eth0 -IPAddress 198.18.30.10/24 -DefaultGateway 198.18.30.1
        Set-NetNsAddress -Namespace $script:outside -InterfaceAlias eth0 -IPAddress 198.18.31.10/24
        Set-NetNsSysctl -Namespace $script:router -Key net.ipv4.ip_forward -Value 1
    }
    AfterAll { Remove-TestNamespace -Name $script:inside, $script:router, $script:outside }

    It 'gets no answer from outside before NAT (outside has no route back)' {
        Invoke-Ping -Namespace $script:inside -Address 198.18.31.10 -Attempts 1 | Should -BeFalse
    }

    It 'gets answers once the router masquerades, with nft run inside the router only' {
        $rules = Invoke-InNetNamespace -Namespace $script:router {
            nft add table ip nat
            nft 'add chain ip nat postrouting { type nat hook postrouting priority 100 ; }'
            nft add rule ip nat postrouting oifname wan0 masquerade
            nft list ruleset
        }
        ($rules -join "`n") | Should -Match 'masquerade'
        Invoke-Ping -Namespace $script:inside -Address 198.18.31.10 | Should -BeTrue
        # the caller's own ruleset is untouched
        ((& nft list ruleset) -join "`n") | Should -Not -Match 'oifname "wan0"'
    }
}
