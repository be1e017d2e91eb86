# A namespace that arrives EMPTY by the pipeline — a piped $null or '', an object whose Namespace (or PeerNamespace)
# is $null or '', or a NetNs object of the caller's own namespace, which names none — is refused by every changing
# cmdlet with one InvalidArgument error per item, and nothing is made or changed in the caller's namespace.
# Typed on the command line it is refused before anything runs (BindingTests); omitting -Namespace still means the
# caller's own namespace, and -Namespace $PID names it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest

    function Get-RootState {
        # What a regression could change in the caller's namespace with the names below.
        @{
            Links = @((& ip -j link show | ConvertFrom-Json) | ForEach-Object { "$($_.ifname) $($_.mtu) $($_.flags -join ',') $($_.master)" }) -join "`n"
            Addresses = (& ip -o addr show) -join "`n"
            Routes = (& ip -o route show) -join "`n"
        }
    }
}

Describe 'An empty namespace from the pipeline is refused' {
    BeforeAll {
        $script:ns = New-TestNamespace
        $script:l1, $script:l2 = New-TestName -Count 2
    }
    AfterEach { foreach ($n in $script:l1, $script:l2) { if (Test-Path "/sys/class/net/$n") { & ip link delete $n 2>$null } } }
    AfterAll { Remove-TestNamespace -Name $script:ns }

    It '<Command> refuses <Case>' -ForEach @(
        # Only names and addresses that exist nowhere in the caller's namespace: even a regression that reached the
        # kernel there could only fail (not found) or make an nt- link that AfterEach removes.
        $cases = @(
            @{ Command = 'Set-NetNsLink'; Params = @{ Name = 'L1'; Mtu = 1300 } }
            @{ Command = 'Remove-NetNsLink'; Params = @{ Name = 'L1'; Confirm = $false } }
            @{ Command = 'Add-BridgePort'; Params = @{ Bridge = 'L2'; Name = 'L1' } }
            @{ Command = 'Remove-BridgePort'; Params = @{ Name = 'L1'; Confirm = $false } }
            @{ Command = 'Set-NetNsAddress'; Params = @{ InterfaceAlias = 'L1'; IPAddress = '198.18.131.1/24' } }
            @{ Command = 'Remove-NetNsAddress'; Params = @{ IPAddress = '198.18.131.1'; InterfaceAlias = 'L1'; Confirm = $false } }
            @{ Command = 'New-NetNsRoute'; Params = @{ DestinationPrefix = '198.18.132.0/24'; InterfaceAlias = 'L1' } }
            @{ Command = 'Remove-NetNsRoute'; Params = @{ DestinationPrefix = '198.18.132.0/24'; InterfaceAlias = 'L1'; Confirm = $false } }
            @{ Command = 'New-VethPair'; Params = @{ Name = 'L1'; PeerName = 'L2' } }
            @{ Command = 'New-NetNsLink'; Params = @{ Name = 'L1'; Kind = 'Bridge' } }
        )
        $inputs = @(
            @{ Case = 'a piped $null'; Piped = { $null } }
            @{ Case = "a piped ''"; Piped = { '' } }
            @{ Case = '@{}.Namespace'; Piped = { @{}.Namespace } }
            @{ Case = 'an object whose Namespace is empty'; Piped = { [pscustomobject]@{ Namespace = '' } } }
            @{ Case = 'an object whose Namespace is $null'; Piped = { [pscustomobject]@{ Namespace = $null } } }
            @{ Case = 'a NetNs object of the caller''s own namespace'; Piped = { Get-NetNsLink -Name lo } }
        )
        # New-NetNsLink takes -Namespace by property name only (a bare piped value is its -Name): objects only.
        foreach ($c in $cases) { foreach ($i in $inputs) { if ($c.Command -ne 'New-NetNsLink' -or $i.Case -match 'object') { $c + $i } } }
    ) {
        $p = @{}
        foreach ($k in $Params.Keys) { $p[$k] = switch ($Params[$k]) { 'L1' { $script:l1 } 'L2' { $script:l2 } default { $_ } } }
        $before = Get-RootState
        $err = $null
        & $Piped | & $Command @p -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be "InvalidArgument,NetNs.Cmdlets.$($Command -replace '-')Command"
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match ([regex]::Escape($Command))
        $err[0].Exception.Message | Should -Match 'only when it is named \(-Namespace \$PID\)'
        foreach ($n in $script:l1, $script:l2) { Test-Path "/sys/class/net/$n" | Should -BeFalse -Because "$Command must not make $n in the caller's namespace" }
        $after = Get-RootState
        $after.Links | Should -Be $before.Links
        $after.Addresses | Should -Be $before.Addresses
        $after.Routes | Should -Be $before.Routes
    }

    It 'New-VethPair refuses an empty -PeerNamespace from the pipeline (nothing made in either namespace)' {
        $err = $null
        [pscustomobject]@{ Name = $script:l1; PeerName = $script:l2; Namespace = $script:ns; PeerNamespace = '' } |
            New-VethPair -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,NetNs.Cmdlets.NewVethPairCommand'
        $err[0].Exception.Message | Should -Match '-PeerNamespace \$PID'
        Get-IpLink -Namespace $script:ns -Name $script:l1 | Should -BeNullOrEmpty
        Test-Path "/sys/class/net/$($script:l2)" | Should -BeFalse
    }

    It 'refuses only the empty items of a pipeline: one error each, the named ones go on' {
        $err = $null
        $objs = [pscustomobject]@{ Namespace = $script:ns; Name = $script:l1 }, [pscustomobject]@{ Namespace = ''; Name = $script:l2 }
        $made = $objs | New-NetNsLink -Kind Bridge -ErrorVariable err -ErrorAction SilentlyContinue
        $made.Name | Should -Be $script:l1
        $made.Namespace | Should -Be $script:ns
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,NetNs.Cmdlets.NewNetNsLinkCommand'
        Test-Path "/sys/class/net/$($script:l2)" | Should -BeFalse
        Get-IpLink -Namespace $script:ns -Name $script:l2 | Should -BeNullOrEmpty
    }

    It 'takes an object of the caller''s own namespace when -Namespace $PID names it, and omitting -Namespace still means the caller''s own' {
        # Accepted means it reached the kernel: LinkNotFound for a name the caller's namespace does not have (nothing changes).
        $err = $null
        # A link object as the caller's namespace gives them (empty Namespace), of a name it does not have.
        [NetNs.Core.NetNsLink]@{ Name = $script:l1 } | Set-NetNsLink -Namespace $PID -Up -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'LinkNotFound,NetNs.Cmdlets.SetNetNsLinkCommand'
        $err = $null
        [pscustomobject]@{ Namespace = $PID; Name = $script:l1 } | Set-NetNsLink -Up -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'LinkNotFound,NetNs.Cmdlets.SetNetNsLinkCommand'
        $err = $null
        Set-NetNsLink -Name $script:l1 -Up -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'LinkNotFound,NetNs.Cmdlets.SetNetNsLinkCommand'
    }
}
