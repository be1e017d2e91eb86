# Every exported cmdlet has real help: synopsis, description, every parameter, at least two examples.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
    $script:cmdlets = @((Get-Module NetNs).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
    $script:common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    function Get-HelpText($node) { (@($node) | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join "`n" }
}

Describe 'Help' {
    It 'the module exports every cmdlet its assembly defines' {
        $defined = (Get-Module NetNs).ImplementingAssembly.GetExportedTypes() |
            Where-Object { $_.IsDefined([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; "$($a.VerbName)-$($a.NounName)" }
        $defined.Count | Should -BeGreaterOrEqual 19
        ((Get-Module NetNs).ExportedCmdlets.Keys | Sort-Object) | Should -Be ($defined | Sort-Object)
    }

    Context '<Name>' -ForEach $script:cmdlets {
        BeforeAll {
            $script:cmd = Get-Command $Name
            $script:help = Get-Help $Name -Full
        }

        It 'has a synopsis that is not the generated syntax' {
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis.Trim() | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)"
            $help.Synopsis.Trim().Length | Should -BeGreaterThan 10
        }

        It 'has a description' {
            (Get-HelpText $help.description).Trim() | Should -Not -BeNullOrEmpty
        }

        It 'documents every parameter' {
            $documented = @{}
            foreach ($p in @($help.parameters.parameter)) {
                if ($p) { $documented[$p.name] = (Get-HelpText $p.description).Trim() }
            }
            foreach ($param in $cmd.Parameters.Keys | Where-Object { $_ -notin $script:common }) {
                $documented[$param] | Should -Not -BeNullOrEmpty -Because "-$param of $Name needs a description"
            }
        }

        It 'has at least two examples with code' {
            $examples = @($help.examples.example | Where-Object { $_ -and "$($_.code)".Trim() })
            $examples.Count | Should -BeGreaterOrEqual 2
        }
    }
}
