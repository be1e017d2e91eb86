BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

# Needs a Docker engine and the local image nt-busybox:latest (tests/containers/start-runtimes.sh).
$script:dockerReady = [bool](Get-Command docker -ErrorAction SilentlyContinue) -and
    ((& docker image inspect nt-busybox:latest 2>$null) -and $LASTEXITCODE -eq 0)

Describe 'Get-NetNsContainer' -Skip:(-not $script:dockerReady) {
    BeforeAll {
        $script:name = New-TestName
        & docker run -d --network none --name $script:name nt-busybox:latest sleep 120 | Out-Null
        $script:ns = New-TestNamespace
    }
    AfterAll {
        & docker rm -f $script:name 2>$null | Out-Null
        Remove-TestNamespace -Name $script:ns
    }

    It 'finds the container with its process and namespace' {
        $c = Get-NetNsContainer -Name $script:name
        $c.Runtime | Should -Be 'docker'
        $c.State | Should -Be 'running'
        $c.ProcessId | Should -Be ([int](& docker inspect -f '{{.State.Pid}}' $script:name))
        $c.ToString() | Should -Be $script:name
        # the sandbox file is a bind mount of the namespace: same inode as the process's ns/net
        (& stat -L -c %i $c.Namespace) | Should -Be (& stat -L -c %i "/proc/$($c.ProcessId)/ns/net")
    }

    It 'pipes into -Namespace: a veth into the container carries a ping' {
        $c = Get-NetNsContainer -Name $script:name
        New-VethPair -Name nt-host -PeerName eth7 -Namespace $script:ns -PeerNamespace $c -Up | Out-Null
        Set-NetNsAddress -Namespace $script:ns -InterfaceAlias nt-host -IPAddress 198.18.41.1/24
        $c | Set-NetNsAddress -InterfaceAlias eth7 -IPAddress 198.18.41.2/24
        ($c | Get-NetNsAddress -InterfaceAlias eth7).IPAddress | Should -Be '198.18.41.2'
        & ip netns exec $script:ns ping -c 1 -W 2 198.18.41.2 | Out-Null
        $LASTEXITCODE | Should -Be 0
        (& docker exec $script:name ip addr show eth7) -join "`n" | Should -Match '198\.18\.41\.2/24'
    }

    It 'names the container''s namespace with New-NetNamespace from the pipeline, and Remove-NetNamespace only drops the name' {
        $n = New-TestName
        try {
            Get-NetNsContainer -Name $script:name | New-NetNamespace -Name $n | Out-Null
            $c = Get-NetNsContainer -Name $script:name
            (& stat -L -c %i "/run/netns/$n") | Should -Be (& stat -L -c %i "/proc/$($c.ProcessId)/ns/net")
            Remove-NetNamespace $n -Confirm:$false
            (& docker inspect -f '{{.State.Running}}' $script:name) | Should -Be 'true'
            (& stat -L -c %i "/proc/$($c.ProcessId)/ns/net") | Should -Not -BeNullOrEmpty
        } finally { Remove-TestNamespace -Name $n }
    }

    It 'writes ContainerNotFound for a name that matches nothing' {
        { Get-NetNsContainer -Name (New-TestName) -ErrorAction Stop } |
            Should -Throw -ErrorId 'ContainerNotFound,NetNs.Cmdlets.GetNetNsContainerCommand'
    }

    It 'lists a stopped container only with -All, without a namespace' {
        $stopped = New-TestName
        try {
            & docker create --network none --name $stopped nt-busybox:latest sleep 1 | Out-Null
            Get-NetNsContainer | Where-Object Name -EQ $stopped | Should -BeNullOrEmpty
            $c = Get-NetNsContainer -All | Where-Object Name -EQ $stopped
            $c.State | Should -Not -Be 'running'
            $c.Namespace | Should -BeNullOrEmpty
        } finally {
            & docker rm -f $stopped 2>$null | Out-Null
        }
    }
}
