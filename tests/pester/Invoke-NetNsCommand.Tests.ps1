BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Invoke-NetNsCommand' {
    BeforeAll {
        $script:ns = New-TestNamespace
        & ip -n $script:ns link add nt-br9 type bridge
        & ip -n $script:ns addr add 198.18.40.1/24 dev nt-br9
        & ip -n $script:ns link set nt-br9 up
    }
    AfterAll { Remove-TestNamespace -Name $script:ns }

    It 'runs native commands inside the namespace' {
        $out = Invoke-NetNsCommand -Namespace $script:ns { ip -o link show }
        ($out -join "`n") | Should -Match 'nt-br9'
        ($out -join "`n") | Should -Not -Match '\beth0\b'
    }

    It 'shows the namespace in /sys/class/net and to in-process .NET code' {
        $sys = Invoke-NetNsCommand -Namespace $script:ns { (Get-ChildItem /sys/class/net).Name }
        $sys | Sort-Object | Should -Be @('lo', 'nt-br9')
        $dotnet = Invoke-NetNsCommand -Namespace $script:ns { [Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces().Name }
        $dotnet | Sort-Object | Should -Be @('lo', 'nt-br9')
    }

    It 'returns live objects and passes -ArgumentList as $args' {
        $r = Invoke-NetNsCommand -Namespace $script:ns { param($a, $b) [pscustomobject]@{ Sum = $a + $b; Links = @(Get-NetNsLink).Count } } -ArgumentList 40, 2
        $r.Sum | Should -Be 42
        $r.Links | Should -Be 2
    }

    It 'takes the namespace from the pipeline' {
        $addr = Get-NetNamespace $script:ns | Invoke-NetNsCommand { Get-NetNsAddress -InterfaceAlias nt-br9 -AddressFamily IPv4 }
        $addr.IPAddress | Should -Be '198.18.40.1'
        $addr.Namespace | Should -BeNullOrEmpty   # inside, it is the caller's own namespace
    }

    It 'leaves the caller in its own namespace, also after the script throws' {
        $before = (Get-Item /proc/thread-self/ns/net).Target
        $err = $null
        Invoke-NetNsCommand -Namespace $script:ns { throw 'boom' } -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        "$($err[0])" | Should -Be 'boom'
        (Get-Item /proc/thread-self/ns/net).Target | Should -Be $before
        (Get-ChildItem /sys/class/net).Name | Should -Not -Contain 'nt-br9'
    }

    It 'reports a missing namespace as NamespaceNotFound' {
        { Invoke-NetNsCommand -Namespace (New-TestName) { 1 } -ErrorAction Stop } |
            Should -Throw -ErrorId 'NamespaceNotFound,NetNs.Cmdlets.InvokeNetNsCommandCommand'
    }
}

Describe 'Invoke-NetNsCommand with /etc/netns/NAME' {
    BeforeAll {
        $script:ns = New-TestNamespace
        $script:etc = "/etc/netns/$($script:ns)"
        $script:hadEtcNetns = Test-Path /etc/netns
        New-Item -ItemType Directory -Path $script:etc -Force | Out-Null
        Set-Content -Path "$($script:etc)/hosts" -Value "198.18.42.7 nt-only-in-$($script:ns)"
    }
    AfterAll {
        Remove-Item -Recurse -Force -LiteralPath $script:etc -ErrorAction SilentlyContinue
        if (-not $script:hadEtcNetns) { Remove-Item /etc/netns -ErrorAction SilentlyContinue }
        Remove-TestNamespace -Name $script:ns
    }

    It 'sees /etc/netns/NAME/hosts as /etc/hosts inside, like ip netns exec, and the caller does not' {
        $inside = Invoke-NetNsCommand -Namespace $script:ns { Get-Content /etc/hosts }
        $inside | Should -Be "198.18.42.7 nt-only-in-$($script:ns)"
        (& ip netns exec $script:ns cat /etc/hosts) | Should -Be $inside
        Get-Content /etc/hosts | Should -Not -Contain $inside
    }
}
