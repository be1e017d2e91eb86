BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
    $script:formatFile = Join-Path (Split-Path (Get-NetNsModulePath)) 'NetNs.Format.ps1xml'
}

# Objects that cross a process boundary (Receive-Job, Invoke-Command over SSH) arrive as property bags named
# 'Deserialized.<type>'. The module's table views must select those names too, and render them exactly as
# they render the live objects; a background job is a real serialization round trip, as remoting's is.
Describe 'Format views for deserialized objects' {
    It 'every NetNs output type has a view, and every view also selects its Deserialized. name' {
        $xml = [xml](Get-Content -Raw -LiteralPath $script:formatFile)
        $selected = @{}
        foreach ($view in $xml.Configuration.ViewDefinitions.View) {
            $names = @($view.ViewSelectedBy.TypeName)
            foreach ($n in $names | Where-Object { $_ -notlike 'Deserialized.*' }) {
                $names | Should -Contain "Deserialized.$n" -Because "view $($view.Name) shows $n"
                $selected[$n] = $true
            }
        }
        $outputTypes = Get-Command -Module NetNs | ForEach-Object OutputType | ForEach-Object Name |
            Where-Object { $_ -like 'NetNs.*' } | Sort-Object -Unique
        $outputTypes | Should -Not -BeNullOrEmpty
        foreach ($t in $outputTypes) { $selected.Keys | Should -Contain $t -Because "a cmdlet outputs $t" }
    }

    Context 'through a background job' {
        BeforeAll {
            $script:a, $script:b = New-TestNamespace -Count 2
            # A namespace left stale by a crashed creation (an empty mode-0 file): its State enum arrives as a number.
            $script:stale = New-TestName
            New-Item -ItemType File -Path "/run/netns/$($script:stale)" | Out-Null
            & chmod 000 "/run/netns/$($script:stale)"
            $script:labName = 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
            & ip -n $script:a link add br0 type bridge
            & ip -n $script:a link add p1 type veth peer name p2
            & ip -n $script:a link set p1 master br0
            # The job makes and reads the objects; each case sends its own rendering (done in the job, on the
            # live objects), then the objects themselves, which arrive deserialized.
            $job = Start-Job -ArgumentList (Get-NetNsModulePath), $script:a, $script:b, $script:stale, $script:labName, (Resolve-Path (Join-Path $PSScriptRoot '../../examples/labs/veth-pair.psd1')).Path -ScriptBlock {
                param($module, $a, $b, $stale, $lab, $labDefinition)
                $ErrorActionPreference = 'Stop'
                Import-Module $module
                $cases = [ordered]@{
                    NetNamespace         = { Get-NetNamespace -Name $a, $stale }
                    VethPair             = { New-VethPair -Name va -PeerName vb -Namespace $a -PeerNamespace $b -Up }
                    NetNsLink            = { Get-NetNsLink -Namespace $a }
                    NetNsAddress         = { Set-NetNsAddress -Namespace $a -InterfaceAlias va -IPAddress 198.18.91.1/24; Set-NetNsAddress -Namespace $b -InterfaceAlias vb -IPAddress 198.18.91.2/24; Get-NetNsAddress -Namespace $a }
                    NetNsRoute           = { Get-NetNsRoute -Namespace $a }
                    BridgePort           = { Get-BridgePort -Namespace $a }
                    NetNsSysctl          = { Get-NetNsSysctl $a net.ipv4.ip_forward }
                    ConnectionTestResult = { Test-NetNsConnection $a 198.18.91.2 }
                    NetNsLinkRate        = { Measure-NetNsLink $a va -Duration 00:00:00.1 }
                    NetNsConditionResult = { Wait-NetNsCondition $a -LinkUp va -PassThru }
                    LabInfo              = { Deploy-NetNsLab -Path $labDefinition -Name $lab }
                    LabReachability      = { Test-NetNsLab $lab }
                }
                try {
                    foreach ($case in $cases.GetEnumerator()) {
                        $objects = @(& $case.Value)
                        "CASE:$($case.Key)"
                        $objects | Out-String -Width 300
                        $objects
                    }
                } finally {
                    Remove-NetNsLab $lab -Confirm:$false -ErrorAction SilentlyContinue
                }
            }
            $received = @($job | Receive-Job -Wait -AutoRemoveJob -ErrorAction Continue -ErrorVariable jobErrors)
            $script:jobErrors = @($jobErrors)
            $script:cases = [ordered]@{}
            $current = $null
            for ($i = 0; $i -lt $received.Count; $i++) {
                if ($received[$i] -is [string] -and $received[$i] -like 'CASE:*') {
                    $current = @{ Text = $received[$i + 1]; Objects = [Collections.Generic.List[object]]::new() }
                    $script:cases[$received[$i].Substring(5)] = $current
                    $i++
                } elseif ($current) { $current.Objects.Add($received[$i]) }
            }
        }
        AfterAll {
            Get-NetNamespace -Name "$($script:labName)-*" | ForEach-Object { Remove-NetNamespace -Name $_.Name -Confirm:$false -ErrorAction SilentlyContinue }
            Remove-TestNamespace -Name $script:a, $script:b
            Remove-Item -LiteralPath "/run/netns/$($script:stale)" -Force -ErrorAction SilentlyContinue
        }

        It 'a stale namespace reads (stale) in the table after the round trip too' {
            $script:cases['NetNamespace'].Text | Should -Match '\(stale\)'
            ($script:cases['NetNamespace'].Objects | Out-String -Width 300) | Should -Match '\(stale\)'
        }

        It 'the job ran every case without an error' {
            $script:jobErrors | Should -BeNullOrEmpty
            @($script:cases.Keys) | Should -Be @('NetNamespace', 'VethPair', 'NetNsLink', 'NetNsAddress', 'NetNsRoute', 'BridgePort', 'NetNsSysctl', 'ConnectionTestResult', 'NetNsLinkRate', 'NetNsConditionResult', 'LabInfo', 'LabReachability')
        }

        It '<_> objects arrive as Deserialized.NetNs.Core.<_> and print the same table as the live ones' -ForEach 'NetNamespace', 'VethPair', 'NetNsLink', 'NetNsAddress', 'NetNsRoute', 'BridgePort', 'NetNsSysctl', 'ConnectionTestResult', 'NetNsLinkRate', 'NetNsConditionResult', 'LabInfo', 'LabReachability' {
            $case = $script:cases[$_]
            $case | Should -Not -BeNullOrEmpty
            $case.Objects.Count | Should -BeGreaterThan 0
            $case.Objects[0].pstypenames[0] | Should -Be "Deserialized.NetNs.Core.$_"
            $local = $case.Objects | Out-String -Width 300
            $local | Should -Be $case.Text
            # A table, not the list view PowerShell falls back to without a view.
            ($local -split "`n" | Where-Object { $_ -match '^-+\s' }) | Should -Not -BeNullOrEmpty
        }
    }
}
