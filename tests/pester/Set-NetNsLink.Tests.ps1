BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Set-NetNsLink' {
    BeforeEach {
        $script:a, $script:b = New-TestNamespace -Count 2
        & ip -n $script:a link add va type veth peer name vb netns $script:b
    }
    AfterEach { Remove-TestNamespace -Name $script:a, $script:b }

    It 'brings a link up and down' {
        Set-NetNsLink -Namespace $script:a -Name va -Up
        (Get-IpLink -Namespace $script:a -Name va).flags | Should -Contain 'UP'
        Set-NetNsLink -Namespace $script:a -Name va -Down
        (Get-IpLink -Namespace $script:a -Name va).flags | Should -Not -Contain 'UP'
    }

    It 'sets -Mtu and -MacAddress, and -PassThru returns the changed link' {
        $link = Set-NetNsLink -Namespace $script:a -Name va -Mtu 1280 -MacAddress 02:00:5e:10:00:33 -PassThru
        $link.Mtu | Should -Be 1280
        $link.MacAddress | Should -Be '02:00:5e:10:00:33'
        $ip = Get-IpLink -Namespace $script:a -Name va
        $ip.mtu | Should -Be 1280
        $ip.address | Should -Be '02:00:5e:10:00:33'
    }

    It 'renames a link that is up, and keeps it up' {
        & ip -n $script:b link set vb up
        Set-NetNsLink -Namespace $script:b -Name vb -NewName eth1
        Get-IpLink -Namespace $script:b -Name vb | Should -BeNullOrEmpty
        (Get-IpLink -Namespace $script:b -Name eth1).flags | Should -Contain 'UP'
        (Get-NetNsLink -Namespace $script:a -Name va).PeerName | Should -Be 'eth1'
    }

    It 'moves a link to another namespace with -NewNamespace, renamed with -NewName' {
        & ip -n $script:a link add m1 type veth peer name m2
        Set-NetNsLink -Namespace $script:a -Name m1 -NewNamespace $script:b -NewName moved
        Get-IpLink -Namespace $script:a -Name m1 | Should -BeNullOrEmpty
        Get-IpLink -Namespace $script:b -Name moved | Should -Not -BeNullOrEmpty
        (Get-NetNsLink -Namespace $script:a -Name m2).PeerNamespace | Should -Be $script:b
    }

    It 'keeps -Up when the link also moves (the kernel downs a moved link): the state holds, and -PassThru says so' {
        & ip -n $script:a link add m1 type veth peer name m2
        $link = Set-NetNsLink -Namespace $script:a -Name m1 -NewNamespace $script:b -Up -Mtu 1400 -PassThru
        $link.Namespace | Should -Be $script:b
        $link.State | Should -Be 'Up'
        $link.Mtu | Should -Be 1400
        $ip = Get-IpLink -Namespace $script:b -Name m1
        $ip.flags | Should -Contain 'UP'
        $ip.mtu | Should -Be 1400
    }

    It 'names the target namespace when a link of that name is already there' {
        & ip -n $script:a link add vb type veth peer name vc   # b has a vb already (the peer of va)
        $err = $null
        Set-NetNsLink -Namespace $script:a -Name vb -NewNamespace $script:b -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'LinkExists,NetNs.Cmdlets.SetNetNsLinkCommand'
        $err[0].Exception.Message | Should -BeLike "*to namespace '$($script:b)'*already exists there*"
        Get-IpLink -Namespace $script:a -Name vb | Should -Not -BeNullOrEmpty
    }

    It 'brings up every link that is down, from the pipeline' {
        Get-NetNsLink -Namespace $script:a | Where-Object State -ne Up | Set-NetNsLink -Up
        foreach ($l in Get-IpLink -Namespace $script:a) { $l.flags | Should -Contain 'UP' }
        (Get-NetNsLink -Namespace $script:a -Name lo).OperationalState | Should -Be 'UNKNOWN'
    }

    It 'refuses -Up with -Down (InvalidArgument) and changes nothing' {
        { Set-NetNsLink -Namespace $script:a -Name va -Up -Down -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,NetNs.Cmdlets.SetNetNsLinkCommand'
        (Get-IpLink -Namespace $script:a -Name va).flags | Should -Not -Contain 'UP'
    }

    It 'rejects a 16-character -NewName with InvalidArgument' {
        Set-NetNsLink -Namespace $script:a -Name va -NewName 'abcdefghijklmnop' -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,NetNs.Cmdlets.SetNetNsLinkCommand'
        Get-IpLink -Namespace $script:a -Name va | Should -Not -BeNullOrEmpty
    }

    It 'writes one LinkNotFound error per missing link from the pipeline' {
        $items = [pscustomobject]@{ Name = 'nope'; Namespace = $script:a }, [pscustomobject]@{ Name = 'va'; Namespace = $script:a }
        $items | Set-NetNsLink -Up -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'LinkNotFound,NetNs.Cmdlets.SetNetNsLinkCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].TargetObject | Should -Be 'nope'
        (Get-IpLink -Namespace $script:a -Name va).flags | Should -Contain 'UP'
    }

    It 'changes nothing with -WhatIf' {
        Set-NetNsLink -Namespace $script:a -Name va -Up -Mtu 1280 -NewName renamed -WhatIf
        $ip = Get-IpLink -Namespace $script:a -Name va
        $ip | Should -Not -BeNullOrEmpty
        $ip.flags | Should -Not -Contain 'UP'
        $ip.mtu | Should -Be 1500
    }
}
