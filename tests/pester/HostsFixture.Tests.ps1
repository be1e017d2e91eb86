# The multi-host fixture (tests/fixtures/hosts): "hosts" that are network namespaces with their own /run/netns and
# sshd, reached over PowerShell remoting (SSH). Also: NetNs's objects print over remoting as they do locally.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
    Import-Module (Join-Path $PSScriptRoot '../fixtures/hosts/NetNsHosts.psm1') -Force
    $script:set = New-TestHostSet -Count 2 -ModuleDirectory (Split-Path (Split-Path (Get-NetNsModulePath)))
    $p = $script:set.Hosts[0].SessionParameters
    $script:session = New-PSSession @p -ErrorAction Stop
}

AfterAll {
    if ($script:session) { Remove-PSSession $script:session -ErrorAction SilentlyContinue }
    Remove-TestHostSet $script:set
}

Describe 'Test host fixture' {
    It 'New-PSSession -HostName lands in the host: its address, its own empty /run/netns' {
        $remote = Invoke-Command -Session $script:session {
            [pscustomobject]@{
                Addresses = @(& ip -4 -o addr show dev eth0 | ForEach-Object { ($_ -split '\s+')[3] })
                NetNs     = @(Get-ChildItem -Force /run/netns -ErrorAction SilentlyContinue | ForEach-Object Name)
                Mount     = @(Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -eq '/run/netns' }).Count
            }
        }
        $remote.Addresses | Should -Be @("$($script:set.Hosts[0].Address)/24")
        $remote.NetNs | Should -BeNullOrEmpty
        $remote.Mount | Should -BeGreaterThan 0
    }

    It 'the remote pwsh imports the staged NetNs (the same version and files as here)' {
        $remote = Invoke-Command -Session $script:session { Import-Module NetNs -ErrorAction Stop; $m = Get-Module NetNs; @{ Version = $m.Version.ToString(); Base = $m.ModuleBase } }
        $local = Get-Module NetNs
        $remote.Version | Should -Be $local.Version.ToString()
        $remote.Base | Should -Be $local.ModuleBase
    }

    It 'a namespace made on host a is not on host b nor here' {
        $name = New-TestName
        Invoke-Command -Session $script:session { param($n) Import-Module NetNs; $null = New-NetNamespace -Name $n } -ArgumentList $name
        try {
            Test-Path -LiteralPath "/run/netns/$name" | Should -BeFalse
            $p = $script:set.Hosts[1].SessionParameters
            $other = Invoke-Command @p { param($n) Test-Path -LiteralPath "/run/netns/$n" } -ArgumentList $name
            $other | Should -BeFalse
            Invoke-Command -Session $script:session { param($n) Test-Path -LiteralPath "/run/netns/$n" } -ArgumentList $name | Should -BeTrue
        }
        finally {
            Invoke-Command -Session $script:session { param($n) Remove-NetNamespace -Name $n -Confirm:$false } -ArgumentList $name
        }
    }

    It 'Get-NetNsLink over the session (-HideComputerName) prints the same table as a local call' {
        $name = New-TestName
        $null = New-NetNamespace -Name $name
        try {
            $remote = Invoke-Command -Session $script:session -HideComputerName { param($n) Import-Module NetNs; $null = New-NetNamespace -Name $n; Get-NetNsLink -Namespace $n; Remove-NetNamespace -Name $n -Confirm:$false } -ArgumentList $name
            $remote | Should -Not -BeNullOrEmpty
            $remote[0].PSObject.TypeNames[0] | Should -BeLike 'Deserialized.NetNs.*'
            $local = Get-NetNsLink -Namespace $name
            ($remote | Format-Table | Out-String) | Should -Be ($local | Format-Table | Out-String)
            ($remote | Out-String) | Should -Be ($local | Out-String)
        }
        finally {
            Remove-NetNamespace -Name $name -Confirm:$false
        }
    }

    It 'a stopped host refuses connections, and starts again' {
        Stop-TestHost -HostSet $script:set -Name b
        $p = $script:set.Hosts[1].SessionParameters
        { New-PSSession @p -ErrorAction Stop } | Should -Throw
        Start-TestHost -HostSet $script:set -Name b
        Wait-TestHost -HostSet $script:set -Name b
        Invoke-Command @p { 42 } | Should -Be 42
    }
}
