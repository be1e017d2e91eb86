# Shared helpers for the NetNs Pester suite. Import in each file's BeforeAll:
#   Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-NetNsUnderTest
# Safety: everything a test creates is named 'nt-' + 8 hex and lives in a test namespace; addresses come
# from 198.18.0.0/15 and 2001:db8::/32 only.

Set-StrictMode -Version 3.0

function Get-NetNsModulePath {
    if ($env:NETNS_MODULE_PATH) { return $env:NETNS_MODULE_PATH }
    Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'out/NetNs/NetNs.psd1'
}

function New-ChildPwshStartInfo {
    <# A ProcessStartInfo for a new pwsh like this one (-NoProfile -NonInteractive, then $Arguments). Under the
       dotnet-tool pwsh the process is `dotnet` with pwsh.dll its first argument: started so, its pid is the pwsh itself. #>
    param([string[]]$Arguments)
    $pwsh = [Environment]::GetCommandLineArgs()[0]
    $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
    if ($pwsh -notlike '*.dll') { $psi.FileName = $pwsh } else { $psi.ArgumentList.Add($pwsh) }
    foreach ($a in @('-NoProfile', '-NonInteractive') + $Arguments) { $psi.ArgumentList.Add($a) }
    $psi
}

function Import-NetNsUnderTest {
    # -Global: the module's cmdlets must be visible to the test scripts, not only to this helper module.
    Import-Module (Get-NetNsModulePath) -Force -Global -ErrorAction Stop
}

function New-TestName {
    <# 'nt-' + 8 hex digits: unique, recognisable by the leak check, and short enough for an interface name. #>
    param([int]$Count = 1)
    for ($i = 0; $i -lt $Count; $i++) {
        $name = 'nt-' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(4)).ToLowerInvariant()
        # The runner's leak check only looks at names this run made (other suites use 'nt-' names too).
        if ($env:NETNS_PESTER_NAMELOG) { [IO.File]::AppendAllLines($env:NETNS_PESTER_NAMELOG, [string[]]@($name)) }
        $name
    }
}

function New-TestNamespace {
    <# Creates namespaces with `ip netns add` (independent of the module under test) and returns their names. #>
    param([int]$Count = 1)
    foreach ($name in New-TestName -Count $Count) {
        & ip netns add $name
        if ($LASTEXITCODE -ne 0) { throw "ip netns add $name failed" }
        $name
    }
}

function Remove-TestNamespace {
    <# Removes test namespaces: Remove-NetNamespace, then `ip netns delete` as a fallback. Never throws. #>
    param([string[]]$Name)
    foreach ($n in $Name) {
        if (-not $n -or $n -notmatch '^nt-[0-9a-f]{8}$') { continue }
        if (-not (Test-Path -LiteralPath "/run/netns/$n")) { continue }
        try { Remove-NetNamespace -Name $n -Confirm:$false -ErrorAction Stop } catch { }
        if (Test-Path -LiteralPath "/run/netns/$n") { & ip netns delete $n 2>$null }
    }
}

function Test-TestNamespace {
    param([Parameter(Mandatory)][string]$Name)
    Test-Path -LiteralPath "/run/netns/$Name"
}

function Invoke-IpJson {
    <# Runs `ip -j [-d] -n NS ARGS…` and writes the parsed JSON objects (nothing when ip prints nothing). #>
    param([Parameter(Mandatory)][string]$Namespace, [Parameter(Mandatory)][string[]]$Arguments, [switch]$Details)
    $ipArgs = @('-j')
    if ($Details) { $ipArgs += '-d' }
    $ipArgs += @('-n', $Namespace) + $Arguments
    # A failed ip (no such namespace, ip missing) throws: "nothing there" must never come from a failed look.
    $out = & ip @ipArgs 2>&1
    if ($LASTEXITCODE -ne 0) { throw "ip $($ipArgs -join ' ') failed (exit code $LASTEXITCODE): $($out -join ' ')" }
    $text = ($out | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] }) -join "`n"
    if (-not $text) { return }
    $text | ConvertFrom-Json
}

function Get-IpLink {
    param([Parameter(Mandatory)][string]$Namespace, [string]$Name)
    $links = Invoke-IpJson -Namespace $Namespace -Arguments @('link', 'show') -Details
    if ($Name) { $links | Where-Object ifname -EQ $Name } else { $links }
}

function Get-IpAddress {
    <# Every address in the namespace as 'addr/len' strings, optionally only on one link. #>
    param([Parameter(Mandatory)][string]$Namespace, [string]$InterfaceName)
    foreach ($link in Invoke-IpJson -Namespace $Namespace -Arguments @('addr', 'show')) {
        if ($InterfaceName -and $link.ifname -ne $InterfaceName) { continue }
        foreach ($a in @($link.addr_info)) { if ($a) { "$($a.local)/$($a.prefixlen)" } }
    }
}

function Get-IpRoute {
    param([Parameter(Mandatory)][string]$Namespace, [switch]$IPv6)
    $fam = if ($IPv6) { '-6' } else { '-4' }
    Invoke-IpJson -Namespace $Namespace -Arguments @($fam, 'route', 'show')
}

function Invoke-Ping {
    <#
    True when ADDR answers one ping from inside NS (`ip netns exec NS ping -c 1 -W 2 ADDR`, up to -Attempts
    tries), false when it does not answer (ping's exit code 1). Anything else — ping or the namespace missing,
    a bad address (exit code 2, or 255 from ip) — throws, so a "does not answer" test cannot pass by accident.
    #>
    param([Parameter(Mandatory)][string]$Namespace, [Parameter(Mandatory)][string]$Address, [ValidateRange(1, 5)][int]$Attempts = 3)
    if (-not (Get-Command ping -CommandType Application -ErrorAction SilentlyContinue)) { throw 'ping (iputils-ping) is not installed' }
    $pingArgs = @('netns', 'exec', $Namespace, 'ping', '-c', '1', '-W', '2', $Address)
    for ($i = 0; $i -lt $Attempts; $i++) {
        $out = & ip @pingArgs 2>&1
        switch ($LASTEXITCODE) {
            0 { return $true }
            1 { }  # no answer this time
            default { throw "ip $($pingArgs -join ' ') failed (exit code $LASTEXITCODE): $($out -join ' ')" }
        }
    }
    $false
}

function Start-SleeperInNamespace {
    <# A process running inside NS (for -ProcessId tests); stop it with Stop-Process -Id. #>
    param([Parameter(Mandatory)][string]$Namespace, [int]$Seconds = 60)
    # `ip netns exec` execs the command, so the returned process id is the sleeper's.
    Start-Process -FilePath ip -ArgumentList @('netns', 'exec', $Namespace, 'sleep', "$Seconds") -PassThru
}

function Get-TabCompletion {
    <# The completion texts TabExpansion2 offers at the end of a command line. #>
    param([Parameter(Mandatory)][string]$InputScript)
    (TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches.CompletionText
}

function Get-SourceSeen {
    # Listens inside -ListenIn on Address:Port, connects from -From to To:ConnectPort, and returns the source address
    # the listener saw, or $null when nothing arrived in 3 s.
    param($ListenIn, [ipaddress]$Address, [int]$Port, $From, [string]$To, [int]$ConnectPort)
    $ns = [NetNs.Core.NamespaceHandle]::OpenName($ListenIn)
    $listener = [NetNs.Core.NamespaceSockets]::Open($ns, 'InterNetwork', 'Stream', 'Tcp')
    try {
        $listener.Bind([Net.IPEndPoint]::new($Address, $Port))
        $listener.Listen(4)
        $accept = $listener.AcceptAsync()
        $null = Test-NetNsConnection $From $To -Port $ConnectPort -TimeoutMilliseconds 2000
        if ($accept.Wait(3000)) { $accept.Result.RemoteEndPoint.Address.ToString(); $accept.Result.Dispose() }
    } finally {
        $listener.Dispose()
        $ns.Dispose()
    }
}

Export-ModuleMember -Function *
