#Requires -Version 7.4
<#
.SYNOPSIS
    A Pester example: test a small TCP service through a lab. The demo lab is deployed under a unique name,
    a listener runs inside the server node, and every LAN host must connect to it across the router.
.EXAMPLE
    sudo pwsh -c "Invoke-Pester ./examples/labs/Service.Tests.ps1"
#>
BeforeAll {
    if (-not (Get-Module NetNs)) { Import-Module (Join-Path $PSScriptRoot '../../out/NetNs/NetNs.psd1') }
    $script:name = 'nt' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(3)).ToLowerInvariant()
    $script:lab = Deploy-NetNsLab -Path (Join-Path $PSScriptRoot 'demo.psd1') -Name $name
    $srv = $lab.Addresses | Where-Object { $_.Node -eq 'srv' -and $_.IPAddress -like '198.*' }
    $script:srvAddress = $srv.IPAddress
    # The service: a TCP listener inside srv's namespace, on a thread of this process (no binary needed).
    $script:service = Invoke-InNetNamespace -Namespace "$name-srv" -ArgumentList $srvAddress {
        param($address)
        $l = [System.Net.Sockets.TcpListener]::new([ipaddress]$address, 8080)
        $l.Start()
        $l
    }
}

AfterAll {
    if ($service) { $service.Stop() }
    if ($name) { Remove-NetNsLab $name -Confirm:$false }
}

Describe 'the demo lab' {
    It 'reaches every address it should' {
        $matrix = Test-NetNsLab $name
        $matrix | Should -Not -BeNullOrEmpty
        $matrix | Where-Object { -not $_.Success } | Should -BeNullOrEmpty
    }

    It 'lets <_> connect to the service on srv' -ForEach 'h1', 'h2' {
        (Test-NetNsConnection -Namespace "$name-$_" -TargetAddress $srvAddress -Port 8080).TcpTestSucceeded | Should -BeTrue
    }
}
