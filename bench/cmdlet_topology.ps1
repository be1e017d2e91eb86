#Requires -Version 7.4
<#
.SYNOPSIS
    e) The bench topology built through the NetNs cmdlets from one warm pwsh (bench/README.md), driven by
    NetNs.Bench over stdin: it imports the module once, then for each `BUILD TAG N` line builds the topology as a
    user would type it and prints `BUILT <ms>`, and for each `TEARDOWN TAG` removes it and prints `GONE <ms>`.
    Not for use by hand (the bench names, checks and cleans up the namespaces).
#>
param([Parameter(Mandatory)][string]$ModulePath)
$ErrorActionPreference = 'Stop'
$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module $ModulePath
[Console]::Out.WriteLine("READY {0:0.000}" -f $clock.Elapsed.TotalMilliseconds)

function Build([string]$Tag, [int]$N) {
    $br = "${Tag}br"
    $null = New-NetNamespace $br
    $null = New-NetNsLink -Namespace $br -Name br0 -Kind Bridge
    for ($i = 0; $i -lt $N; $i++) {
        $ns = "$Tag$i"
        $h = $i + 2
        $null = New-NetNamespace $ns
        $null = New-VethPair -Namespace $br -Name "v$i" -PeerName eth0 -PeerNamespace $ns | Add-BridgePort -Bridge br0
        Set-NetNsLink $br "v$i" -Up
        Set-NetNsLink $ns lo -Up
        Set-NetNsLink $ns eth0 -Up
        $null = Set-NetNsAddress $ns -InterfaceAlias eth0 -IPAddress "198.18.$([Math]::Floor($h / 256)).$($h % 256)/15"
        $null = New-NetNsRoute $ns default -NextHop 198.18.0.1
    }
    $null = Set-NetNsAddress $br -InterfaceAlias br0 -IPAddress 198.18.0.1/15
    Set-NetNsLink $br br0 -Up
}

while ($null -ne ($line = [Console]::In.ReadLine())) {
    $cmd, $tag, $n = $line -split ' '
    try {
        $clock.Restart()
        switch ($cmd) {
            'BUILD' { Build $tag ([int]$n); [Console]::Out.WriteLine("BUILT {0:0.000}" -f $clock.Elapsed.TotalMilliseconds) }
            'TEARDOWN' { Remove-NetNamespace "${tag}*"; [Console]::Out.WriteLine("GONE {0:0.000}" -f $clock.Elapsed.TotalMilliseconds) }
            'QUIT' { return }
            default { throw "unknown command '$line'" }
        }
    }
    catch {
        [Console]::Out.WriteLine("ERROR $($_.Exception.Message -replace '\s+', ' ')")
    }
}
