# Pester 5 Should operators for NetNs: -Reach and -NotReach, probing from inside a namespace with the module's
# in-process probe (Wait-NetNsCondition, Test-NetNsConnection), and -HaveCaptured, matching the packets of a capture
# (Start-NetNsCapture) or a capture file (Get-NetNsPacket). Not loaded with the module (a script module costs a fresh
# pwsh ~75 ms to import): Register-NetNsShouldOperator, a cmdlet, runs this file in a dynamic module of its own when
# Pester is there (at NetNs's import when Pester is loaded already), so the operators' functions live in it. Loaded as a nested module of NetNs: when Pester 5 is
# already loaded, the operators are registered at import; otherwise Register-NetNsShouldOperator does it.

Set-StrictMode -Version 3.0

function ConvertTo-NetNsTimeout {
    # A TimeSpan, a number of seconds, or a time as the module's cmdlets take it ('2s', '500ms', '00:00:02').
    param($Value, [timespan]$Default)
    if ($null -eq $Value) { return $Default }
    if ($Value -is [timespan]) { return $Value }
    # (an unquoted 2s is PowerShell's short literal 2: seconds too)
    if ($Value -is [int] -or $Value -is [int16] -or $Value -is [long] -or $Value -is [double] -or $Value -is [decimal]) { return [timespan]::FromSeconds($Value) }
    [NetNs.Core.TcUnits]::ParseTime([string]$Value)
}

function Format-NetNsProbeTarget {
    param([string]$Address, $Port)
    $ip = $null
    $hostText = if ([ipaddress]::TryParse($Address, [ref]$ip) -and $ip.AddressFamily -eq 'InterNetworkV6') { "[$Address]" } else { $Address }
    if ($null -ne $Port) { "${hostText}:$Port (tcp)" } else { "$Address (icmp)" }
}

function Format-NetNsNamespaceName {
    param($ActualValue)
    $v = if ($ActualValue -is [psobject]) { $ActualValue.PSObject.BaseObject } else { $ActualValue }
    $name = if ($v -is [string]) { $v }
    elseif ($v.PSObject.Properties['Namespace'] -and $v.Namespace) { $v.Namespace }
    elseif ($v.PSObject.Properties['Name'] -and $v.Name) { $v.Name }
    else { "$v" }
    "namespace '$name'"
}

function Get-NetNsShouldResult {
    param([bool]$Succeeded, [string]$FailureMessage)
    [pscustomobject]@{ Succeeded = $Succeeded; FailureMessage = $FailureMessage }
}

function Test-NetNsShouldReach {
    <#
    .SYNOPSIS
    Pester operator: the namespaces piped in reach an address (ICMP echo), or with -Port accept a TCP connection to it.

    .DESCRIPTION
    'red' | Should -Reach 198.18.0.2 [-Port 80] [-Timeout 00:00:02] [-Because '...']
    Probes from inside each namespace, again every 100 ms until -Timeout (1 s by default; a TimeSpan or seconds), and
    passes at the first answer. -Not -Reach is -NotReach.
    #>
    param($ActualValue, $Address, $Port, $Timeout, [switch]$Negate, [string]$Because)
    $netnsTimeout = ConvertTo-NetNsTimeout $Timeout ([timespan]::FromSeconds(1))
    if ($Negate) { return Test-NetNsShouldNotReach -ActualValue $ActualValue -Address $Address -Port $Port -Timeout $netnsTimeout -Because $Because }
    $becauseText = if ($Because) { ", because $Because," } else { ',' }
    if (-not $Address) { return Get-NetNsShouldResult $false 'Should -Reach needs the address to reach: Should -Reach 198.18.0.2 [-Port 80]' }
    $target = Format-NetNsProbeTarget $Address $Port
    $namespaces = @($ActualValue)
    if ($namespaces.Count -eq 0 -or $null -eq $namespaces[0]) { return Get-NetNsShouldResult $false "Expected a namespace to probe from$becauseText but got `$null." }
    foreach ($ns in $namespaces) {
        $who = Format-NetNsNamespaceName $ns
        $portArgs = if ($null -ne $Port) { @{ Port = [int]$Port } } else { @{} }
        $result = $null
        try {
            $result = Wait-NetNsCondition -Namespace $ns -Address $Address @portArgs -Timeout $netnsTimeout -Interval ([timespan]::FromMilliseconds(100)) -PassThru -ErrorAction Stop
        }
        catch {
            if ($_.FullyQualifiedErrorId -like 'ConditionTimeout,*' -and $_.TargetObject) { $result = $_.TargetObject }
            else { return Get-NetNsShouldResult $false "Expected $who to reach $target$becauseText but it could not be probed: $($_.Exception.Message)" }
        }
        if (-not $result.Met) {
            $detail = if ($result.LastResult -and $result.LastResult.Detail) { " ($($result.LastResult.Detail))" } else { '' }
            $probes = if ($result.Probes -eq 1) { '1 probe' } else { "$($result.Probes) probes" }
            $seconds = $result.Elapsed.TotalSeconds.ToString('0.0', [cultureinfo]::InvariantCulture)
            return Get-NetNsShouldResult $false "Expected $who to reach $target$becauseText but the probe reported $($result.Status)$detail after $seconds s ($probes)."
        }
    }
    Get-NetNsShouldResult $true ''
}

function Test-NetNsShouldNotReach {
    <#
    .SYNOPSIS
    Pester operator: the namespaces piped in do not reach an address (ICMP echo), or with -Port do not get a TCP connection.

    .DESCRIPTION
    'red' | Should -NotReach 198.18.0.2 [-Port 80] [-Timeout 00:00:02] [-Because '...']
    One probe from inside each namespace, waiting up to -Timeout (1 s by default; at most 60 s) for the answer. A probe
    that cannot tell (Inconclusive: the host's neighbour table was full) fails the assertion.
    #>
    param($ActualValue, $Address, $Port, $Timeout, [switch]$Negate, [string]$Because)
    $netnsTimeout = ConvertTo-NetNsTimeout $Timeout ([timespan]::FromSeconds(1))
    if ($Negate) { return Test-NetNsShouldReach -ActualValue $ActualValue -Address $Address -Port $Port -Timeout $netnsTimeout -Because $Because }
    $becauseText = if ($Because) { ", because $Because," } else { ',' }
    if (-not $Address) { return Get-NetNsShouldResult $false 'Should -NotReach needs the address: Should -NotReach 198.18.0.2 [-Port 80]' }
    $target = Format-NetNsProbeTarget $Address $Port
    $namespaces = @($ActualValue)
    if ($namespaces.Count -eq 0 -or $null -eq $namespaces[0]) { return Get-NetNsShouldResult $false "Expected a namespace to probe from$becauseText but got `$null." }
    $ms = [int][math]::Min(60000, [math]::Max(1, $netnsTimeout.TotalMilliseconds))
    foreach ($ns in $namespaces) {
        $who = Format-NetNsNamespaceName $ns
        $portArgs = if ($null -ne $Port) { @{ Port = [int]$Port } } else { @{} }
        try {
            $r = Test-NetNsConnection -Namespace $ns -TargetAddress $Address @portArgs -TimeoutMilliseconds $ms -ErrorAction Stop
        }
        catch {
            return Get-NetNsShouldResult $false "Expected $who not to reach $target$becauseText but it could not be probed: $($_.Exception.Message)"
        }
        if ($r.Success) {
            $how = if ($null -ne $Port) { 'the connection was accepted' } else { 'an echo reply came back' }
            $rtt = if ($r.RoundTripTime) { ' in {0:0.0} ms' -f $r.RoundTripTime.TotalMilliseconds } else { '' }
            $from = if ($r.SourceAddress) { " from $($r.SourceAddress)" } else { '' }
            return Get-NetNsShouldResult $false "Expected $who not to reach $target$becauseText but $how$rtt$from."
        }
        if ($r.Status -eq 'Inconclusive') {
            return Get-NetNsShouldResult $false "Expected $who not to reach $target$becauseText but the probe could not tell: $($r.Detail)"
        }
    }
    Get-NetNsShouldResult $true ''
}

function Test-NetNsShouldHaveCaptured {
    <#
    .SYNOPSIS
    Pester operator: a capture (Start-NetNsCapture's object, or a .pcapng/.pcap file) holds packets matching.

    .DESCRIPTION
    $c | Should -HaveCaptured [-Source 198.18.1.1] [-Destination ...] [-Protocol Tcp] [-SourcePort n]
        [-DestinationPort n] [-Direction In|Out] [-Count 3] [-Timeout 2s] [-Because '...']
    At least -Count (1) matching packets. A running capture is waited on up to -Timeout (2 s by default) for them to
    come; -Not -HaveCaptured looks at what the capture holds now and fails at the first matching packet.
    #>
    param($ActualValue, $Source, $Destination, $Protocol, $SourcePort, $DestinationPort, $Direction, $Count, $Timeout,
        [switch]$Negate, [string]$Because)
    $becauseText = if ($Because) { ", because $Because," } else { ',' }
    $want = if ($Count) { [int]$Count } else { 1 }
    $capture = if ($ActualValue -is [psobject]) { $ActualValue.PSObject.BaseObject } else { $ActualValue }
    if ($null -eq $capture) { return Get-NetNsShouldResult $false "Expected a capture (Start-NetNsCapture) or a capture file$becauseText but got `$null." }
    $criteria = @{}
    foreach ($k in 'Source', 'Destination', 'Protocol', 'SourcePort', 'DestinationPort', 'Direction') {
        $v = Get-Variable -Name $k -ValueOnly
        if ($null -ne $v) { $criteria[$k] = $v }
    }
    $proto = if ($criteria['Protocol']) { ($criteria['Protocol'] | ForEach-Object { "$_".ToLowerInvariant() }) -join '/' } else { '' }
    $rest = @(
        if ($criteria['Direction']) { "($($criteria['Direction']))" }
        if ($criteria['Source']) { "from $($criteria['Source'] -join '/')" + $(if ($criteria['SourcePort']) { " port $($criteria['SourcePort'] -join '/')" }) }
        elseif ($criteria['SourcePort']) { "from port $($criteria['SourcePort'] -join '/')" }
        if ($criteria['Destination']) { "to $($criteria['Destination'] -join '/')" + $(if ($criteria['DestinationPort']) { " port $($criteria['DestinationPort'] -join '/')" }) }
        elseif ($criteria['DestinationPort']) { "to port $($criteria['DestinationPort'] -join '/')" }
    ) -join ' '
    $article = if ($proto -match '^[aeio]') { 'an' } else { 'a' }
    $what = (@($article, $proto, 'packet', $rest) | Where-Object { $_ }) -join ' '
    $source = @{}
    if ($capture -is [NetNs.Core.NetNsCapture]) {
        $name = "capture $($capture.Id) ($($capture.Interfaces -join ', '))"
        $source.Capture = $capture
        if (-not $Negate -and $capture.State -eq 'Running') {
            $source.Timeout = ConvertTo-NetNsTimeout $Timeout ([timespan]::FromSeconds(2))
        }
        elseif ($capture.State -eq 'Running') { $source.Timeout = [timespan]::Zero }
    }
    elseif ($capture -is [string] -or $capture -is [IO.FileInfo]) {
        $name = "capture file '$capture'"
        $source.Path = "$capture"
    }
    else { return Get-NetNsShouldResult $false "Expected a capture (Start-NetNsCapture) or a capture file$becauseText but got a $($capture.GetType().Name)." }
    try {
        $matched = @(Get-NetNsPacket @source @criteria -Count $want -ErrorAction Stop)
    }
    catch { return Get-NetNsShouldResult $false "Expected $name to have captured $what$becauseText but it could not be read: $($_.Exception.Message)" }
    if ($Negate) {
        if ($matched.Count -gt 0) {
            return Get-NetNsShouldResult $false "Expected $name not to have captured $what$becauseText but it did: $($matched[0].Summary)"
        }
        return Get-NetNsShouldResult $true ''
    }
    if ($matched.Count -ge $want) { return Get-NetNsShouldResult $true '' }
    # What it did capture, so the reader sees why nothing matched (the first few, as tcpdump prints them).
    $readAll = @{} + $source
    if ($readAll.ContainsKey('Timeout')) { $readAll.Timeout = [timespan]::Zero }
    $all = @(Get-NetNsPacket @readAll -ErrorAction SilentlyContinue)
    $seen = if ($all.Count -eq 0) { 'it captured no packet at all' }
    else {
        $first = ($all | Select-Object -First 5 | ForEach-Object { "    $($_.Summary)" }) -join "`n"
        "it captured $($matched.Count) such of $($all.Count) packets; the first:`n$first"
    }
    $wanted = if ($want -eq 1) { $what } else { (@("$want", $proto, 'packets', $rest) | Where-Object { $_ }) -join ' ' }
    Get-NetNsShouldResult $false "Expected $name to have captured $wanted$becauseText but $seen"
}

function Register-NetNsShouldOperatorCore {
    # What Register-NetNsShouldOperator (the cmdlet) runs: registers the operators Pester does not have yet.
    [CmdletBinding()]
    param([switch]$PassThru)
    # Command discovery sees the session's modules from inside this one (Get-Module would list only this module's own).
    $add = Get-Command -Name Add-ShouldOperator -CommandType Function -ErrorAction Ignore |
        Where-Object { $_.Module -and $_.Module.Name -eq 'Pester' -and $_.Module.Version.Major -ge 5 } | Select-Object -First 1
    if (-not $add) {
        throw 'Pester 5 is not loaded: Import-Module Pester (5.0 or later), then Register-NetNsShouldOperator.'
    }
    $existing = @(& $add.Module { Get-ShouldOperator } | ForEach-Object Name)
    foreach ($op in @(
            @{ Name = 'Reach'; Test = ${function:Test-NetNsShouldReach}; InternalName = 'Test-NetNsShouldReach' },
            @{ Name = 'NotReach'; Test = ${function:Test-NetNsShouldNotReach}; InternalName = 'Test-NetNsShouldNotReach' },
            @{ Name = 'HaveCaptured'; Test = ${function:Test-NetNsShouldHaveCaptured}; InternalName = 'Test-NetNsShouldHaveCaptured' })) {
        if ($existing -contains $op.Name) {
            Write-Verbose "Should -$($op.Name) is already registered"
            continue
        }
        & $add -Name $op.Name -Test $op.Test -InternalName $op.InternalName -SupportsArrayInput
        if ($PassThru) { $op.Name }
    }
}
