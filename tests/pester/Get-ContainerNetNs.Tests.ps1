BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/Pwsh.psm1') -Force
    Import-NetNsUnderTest
}

# Needs Docker and podman with the local image nt-busybox:latest (tests/containers/start-runtimes.sh).
$script:runtimesReady = [bool](Get-Command docker -ErrorAction SilentlyContinue) -and
    [bool](Get-Command podman -ErrorAction SilentlyContinue) -and
    ((& docker image inspect nt-busybox:latest 2>$null) -and $LASTEXITCODE -eq 0)

Describe 'Get-ContainerNetNs' -Skip:(-not $script:runtimesReady) {
    BeforeAll {
        $script:web, $script:side, $script:none, $script:pm = New-TestName -Count 4
        & docker run -d --network none --name $script:web nt-busybox:latest sleep 120 | Out-Null
        & docker run -d --network "container:$($script:web)" --name $script:side nt-busybox:latest sleep 120 | Out-Null
        & docker run -d --network none --name $script:none nt-busybox:latest sleep 120 | Out-Null
        & podman run -d --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --name $script:pm `
            localhost/nt-busybox:latest sleep 120 | Out-Null
        $script:unshare = Start-Process -FilePath unshare -ArgumentList '-n', 'sleep', '60' -PassThru
        $script:webPid = [int](& docker inspect -f '{{.State.Pid}}' $script:web)
        $script:sidePid = [int](& docker inspect -f '{{.State.Pid}}' $script:side)
        # unshare execs sleep once its namespace is made
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while ((Get-Content "/proc/$($script:unshare.Id)/comm" -ErrorAction SilentlyContinue) -ne 'sleep' -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 20
        }
        $script:hostNs = New-TestNamespace
    }
    AfterAll {
        & docker rm -f $script:side $script:none 2>$null | Out-Null
        & docker rm -f $script:web 2>$null | Out-Null
        & podman rm -f -t 0 $script:pm 2>$null | Out-Null
        if ($script:unshare -and -not $script:unshare.HasExited) { $script:unshare.Kill(); $script:unshare.WaitForExit(5000) | Out-Null }
        Remove-TestNamespace -Name $script:hostNs
    }

    It 'lists the shared namespace once, with both containers and their processes' {
        $all = Get-ContainerNetNs
        $shared = @($all | Where-Object { $_.Containers.Name -contains $script:web })
        $shared.Count | Should -Be 1
        ($shared[0].Containers.Name | Sort-Object) | Should -Be (@($script:web, $script:side) | Sort-Object)
        $shared[0].ProcessId | Should -Contain $script:webPid
        $shared[0].ProcessId | Should -Contain $script:sidePid
        $shared[0].Runtime | Should -Be 'docker'
        # the table shows both names (sorted) in one row, with the count
        $names = (@($script:web, $script:side) | Sort-Object) -join ','
        ($shared[0] | Format-Table | Out-String -Width 80) | Should -Match ('docker +2 ' + [regex]::Escape($names))
        # every object is a different namespace
        ($all.Inode | Sort-Object -Unique).Count | Should -Be @($all).Count
    }

    It 'finds the namespace by a sharer''s name, by -ProcessId, and by -Runtime' {
        (Get-ContainerNetNs -Name $script:side).Inode | Should -Be (& stat -L -c %i "/proc/$($script:webPid)/ns/net")
        (Get-ContainerNetNs -ProcessId $script:sidePid).Containers.Name | Should -Contain $script:web
        (Get-ContainerNetNs -ProcessId $script:webPid, $script:unshare.Id).Count | Should -Be 2
        (Get-ContainerNetNs $script:web | Get-ContainerNetNs).Inode | Should -Be (Get-ContainerNetNs $script:web).Inode
        $pm = Get-ContainerNetNs -Runtime podman | Where-Object { $_.Containers.Name -contains $script:pm }
        $pm.Containers[0].ProcessId | Should -Be ([int](& podman inspect -f '{{.State.Pid}}' $script:pm))
        Get-ContainerNetNs -Runtime podman | Where-Object { $_.Containers.Name -contains $script:web } | Should -BeNullOrEmpty
    }

    It 'lists a plain unshare -n process''s namespace without containers' {
        $ns = Get-ContainerNetNs -ProcessId $script:unshare.Id
        $ns.Containers | Should -BeNullOrEmpty
        $ns.Processes.Command | Should -Be 'sleep'
        $ns.Inode | Should -Be (& stat -L -c %i "/proc/$($script:unshare.Id)/ns/net")
        $ns.IsHost | Should -BeFalse
    }

    It 'shows the interfaces of a --network none container: lo only' {
        $ns = Get-ContainerNetNs -Name $script:none
        $ns.Interfaces.Name | Should -Be 'lo'
    }

    It 'writes ContainerNotFound for a name and NamespaceNotFound for a pid that match nothing' {
        { Get-ContainerNetNs -Name (New-TestName) -ErrorAction Stop } |
            Should -Throw -ErrorId 'ContainerNotFound,NetNs.Cmdlets.GetContainerNetNsCommand'
        { Get-ContainerNetNs -ProcessId 2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'NamespaceNotFound,NetNs.Cmdlets.GetContainerNetNsCommand'
    }

    It 'names the namespace with New-NetNamespace from the pipeline; Remove-NetNamespace drops only the name' {
        $n = New-TestName
        try {
            $made = Get-ContainerNetNs $script:side | New-NetNamespace -Name $n
            $made.Name | Should -Be $n
            (& stat -L -c %i "/run/netns/$n") | Should -Be (& stat -L -c %i "/proc/$($script:webPid)/ns/net")
            (Get-ContainerNetNs -Name $n).Names | Should -Be $n
            Remove-NetNamespace $n -Confirm:$false
            Test-Path "/run/netns/$n" | Should -BeFalse
            (& docker inspect -f '{{.State.Running}}' $script:web) | Should -Be 'true'
            (Get-ContainerNetNs -Name $script:web).ProcessId | Should -Contain $script:webPid
        } finally { Remove-TestNamespace -Name $n }
    }

    It 'the tutorial lab: a veth whose peer is eth1 in the container, addresses on both ends, a ping in-process' {
        $ctr = Get-ContainerNetNs $script:web
        $pair = New-VethPair -Name nt-lab0 -PeerName eth1 -Namespace $script:hostNs -PeerNamespace $ctr -Up
        $pair | Should -Not -BeNullOrEmpty
        Set-NetNsAddress -Namespace $script:hostNs -InterfaceAlias nt-lab0 -IPAddress 198.18.42.1/24
        $ctr | Set-NetNsAddress -InterfaceAlias eth1 -IPAddress 198.18.42.2/24
        (Get-ContainerNetNs $script:web).Interfaces.Where({ $_.Name -eq 'eth1' }).IPAddress | Should -Be '198.18.42.2/24'
        $r = Test-NetNsConnection -Namespace $script:hostNs -TargetAddress 198.18.42.2 -Count 3 -TimeoutMilliseconds 2000
        $r.PingSucceeded | Should -BeTrue
        $back = $ctr | Test-NetNsConnection -TargetAddress 198.18.42.1 -Count 3 -TimeoutMilliseconds 2000
        $back.PingSucceeded | Should -BeTrue
        # a script block run inside it sees the same eth1
        ($ctr | Invoke-InNetNamespace { (& ip -br addr show eth1) -join ' ' }) | Should -Match '198\.18\.42\.2/24'
        # the sharer sees the same eth1
        (& docker exec $script:side ip addr show eth1) -join "`n" | Should -Match '198\.18\.42\.2/24'
    }

    It 'works without CAP_SYS_ADMIN and CAP_NET_ADMIN: containers and processes, no interfaces, no error' {
        $module = (Get-Module NetNs).Path -replace '\.dll$', '.psd1'
        $code = "`$ErrorActionPreference = 'Stop'; Import-Module '$module'; " +
            "`$n = Get-ContainerNetNs -Name $($script:web) -WarningVariable w; " +
            "(`$n.Containers.Name | Sort-Object) -join ','; `$n.Interfaces.Count; `$w.Count; (Get-ContainerNetNs -ProcessId `$PID).IsHost"
        $out = Invoke-Pwsh -Prefix setpriv, '--bounding-set=-sys_admin,-net_admin', '--inh-caps=-sys_admin,-net_admin', '--' `
            -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $code 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $out[0] | Should -Be ((@($script:web, $script:side) | Sort-Object) -join ',')
        $out[1] | Should -Be '0'   # entering the namespace needs CAP_SYS_ADMIN: no interfaces, and no error
        $out[2] | Should -Be '0'
        $out[3] | Should -Be 'True'
    }

    It 'lists a Kubernetes-style pod pinned under /run/netns/cni-… as one object, found by -Pod' {
        $cni = 'cni-' + (New-TestName); $pod = New-TestName; $sandbox, $app = New-TestName -Count 2
        $image = 'docker.io/library/nt-busybox:latest'
        try {
            if ((& ctr -n nt-tests image ls -q) -notcontains $image) { & bash -c 'docker save nt-busybox:latest | ctr -n nt-tests image import -' | Out-Null }
            & ip netns add $cni
            foreach ($t in @(@($sandbox, 'sandbox', 'POD'), @($app, 'container', 'web'))) {
                & ctr -n nt-tests run -d --with-ns "network:/run/netns/$cni" `
                    --annotation "io.kubernetes.cri.container-type=$($t[1])" --annotation "io.kubernetes.cri.sandbox-name=$pod" `
                    --annotation 'io.kubernetes.cri.sandbox-namespace=team-a' --annotation "io.kubernetes.cri.container-name=$($t[2])" `
                    $image $t[0] sleep 120 | Out-Null
                $LASTEXITCODE | Should -Be 0
            }
            $ns = Get-ContainerNetNs -Pod "team-a/$pod"
            @($ns).Count | Should -Be 1
            $ns.Names | Should -Be $cni
            $ns.Containers.Name | Should -Be @($pod, 'web')   # the sandbox first
            $ns.Containers.Role | Should -Be @('sandbox', 'container')
            (Get-ContainerNetNs -Name $pod).Inode | Should -Be $ns.Inode
            ($ns | Format-Table | Out-String -Width 80) | Should -Match ('kubernetes +2 ' + [regex]::Escape("team-a/$($pod): web"))   # the pod, then its app containers
            ($ns | Get-NetNsLink).Name | Should -Be 'lo'
        } finally {
            foreach ($id in $app, $sandbox) {
                & ctr -n nt-tests task kill -s SIGKILL $id 2>$null | Out-Null
                for ($i = 0; $i -lt 20; $i++) { & ctr -n nt-tests task rm $id 2>$null | Out-Null; if ($LASTEXITCODE -eq 0) { break }; Start-Sleep -Milliseconds 250 }
                & ctr -n nt-tests container rm $id 2>$null | Out-Null
            }
            if (Test-Path "/run/netns/$cni") { & ip netns delete $cni }
        }
    }
}
