BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-NetNsUnderTest
}

Describe 'Remove-NetNamespace' {
    BeforeEach { $script:names = [Collections.Generic.List[string]]::new() }
    AfterEach { Remove-TestNamespace -Name $script:names }

    It 'removes the namespace, its file and its mount' {
        $n = New-TestNamespace; $script:names.Add($n)
        Remove-NetNamespace -Name $n | Should -BeNullOrEmpty
        Test-TestNamespace $n | Should -BeFalse
        $list = & ip netns list
        $LASTEXITCODE | Should -Be 0 -Because 'ip netns list must work for its output to say anything'
        $list -join "`n" | Should -Not -Match $n
        (Get-Content /proc/self/mountinfo) -join "`n" | Should -Not -Match "/run/netns/$n\s"
    }

    It 'does not prompt by default (ConfirmImpact Medium under $ConfirmPreference High)' {
        $attr = (Get-Command Remove-NetNamespace).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attr.ConfirmImpact | Should -Be 'Medium'
        $n = New-TestNamespace; $script:names.Add($n)
        $ConfirmPreference = 'High'
        Remove-NetNamespace $n -ErrorAction Stop
        Test-TestNamespace $n | Should -BeFalse
    }

    It 'removes nothing with -WhatIf' {
        $n = New-TestNamespace; $script:names.Add($n)
        Remove-NetNamespace -Name $n -WhatIf
        Test-TestNamespace $n | Should -BeTrue
    }

    It 'removes what Get-NetNamespace with a wildcard returns, and nothing else' {
        $stem = (New-TestName).Substring(0, 10)
        $mine = "$($stem)a", "$($stem)b"; $other = New-TestNamespace
        $script:names.AddRange([string[]]($mine + $other))
        foreach ($n in $mine) { & ip netns add $n }
        Get-NetNamespace "$stem*" | Remove-NetNamespace
        foreach ($n in $mine) { Test-TestNamespace $n | Should -BeFalse }
        Test-TestNamespace $other | Should -BeTrue
    }

    It 'writes one NamespaceNotFound error for a missing name and removes the rest' {
        $missing = New-TestName; $n = New-TestNamespace; $script:names.Add($n)
        $missing, $n | Remove-NetNamespace -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be 'NamespaceNotFound,NetNs.Cmdlets.RemoveNetNamespaceCommand'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].TargetObject | Should -Be $missing
        Test-TestNamespace $n | Should -BeFalse
    }

    It 'throws with -ErrorAction Stop' {
        { Remove-NetNamespace -Name (New-TestName) -ErrorAction Stop } | Should -Throw -ErrorId 'NamespaceNotFound*'
    }

    It 'removes the links inside the namespace with it' {
        $a, $b = New-TestNamespace -Count 2; $script:names.AddRange([string[]]@($a, $b))
        & ip -n $a link add va type veth peer name vb netns $b
        Remove-NetNamespace -Name $a
        # The veth's other end goes away with the namespace that held its first end.
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while ((Get-IpLink -Namespace $b -Name vb) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Get-IpLink -Namespace $b -Name vb | Should -BeNullOrEmpty
    }
}
