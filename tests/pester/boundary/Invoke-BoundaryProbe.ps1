<#
.SYNOPSIS
    The boundary suite's probe: runs every escape technique inside Invoke-InNetNamespace and writes one JSON
    object per technique (Technique, Expected, Outcome, Detail).
.DESCRIPTION
    Run by tests/pester/Boundary.Tests.ps1 in a child pwsh started inside a namespace of the test's own (the
    "caller"), so that nothing of the probe reaches the machine's own namespace. The caller and the target each have
    a loopback listener on -Port answering with its tag (CALLER, TARGET); only the caller listens on -CallerOnlyPort.
    Outcome: Target (the technique reached the target namespace only), Caller (it escaped to the caller's, unseen),
    Reported (it reached the caller's and the block failed with NamespaceEscape, naming the connection), Refused (one
    clear NetNs error: "would run outside the namespace"), or Error (anything else, with the message).
#>
param(
    [Parameter(Mandatory)][string]$ModulePath,
    [Parameter(Mandatory)][string]$Target,
    [Parameter(Mandatory)][string]$Scratch,
    [Parameter(Mandatory)][string]$HostName,
    [int]$Port = 18080,
    [int]$CallerOnlyPort = 18081
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Add-Type -Path (Join-Path $PSScriptRoot 'BoundaryListener.cs'), (Join-Path $PSScriptRoot 'BoundaryProbe.cs')

[BoundaryListener]::Serve([BoundaryListener]::Listen($Port), 'CALLER')
[BoundaryListener]::Serve([BoundaryListener]::Listen($CallerOnlyPort), 'CALLER')
[BoundaryListener]::Serve((Invoke-InNetNamespace $Target { [BoundaryListener]::Listen($using:Port) }), 'TARGET')

$get = 'param($p) $c=[Net.Sockets.TcpClient]::new("127.0.0.1",$p); $s=$c.GetStream(); $w=[IO.StreamWriter]::new($s); $w.Write("GET / HTTP/1.0`r`n`r`n"); $w.Flush(); ([IO.StreamReader]::new($s).ReadToEnd() -split "`n")[-1]'
$curl = 'param($p) curl -s --max-time 3 "http://127.0.0.1:$p/"'
# Each technique: expected outcome, and the block run inside the target ($args[0] = the port, $args[1] = the caller-only
# port, $args[2] = a host name only the target's /etc/netns/NAME/hosts knows, $args[3] = the TcpClient script, $args[4] = curl's,
# $args[5] = BoundaryProbe.cs). A name ending in (-Isolated) runs with -Isolated: in a child pwsh started inside.
$techniques = [ordered]@{
    'TcpClient'                                   = 'Target', { [BoundaryProbe]::Get($args[0]) }
    'Socket.Connect'                              = 'Target', { $s = [Net.Sockets.Socket]::new('Stream', 'Tcp'); try { $s.Connect('127.0.0.1', $args[1]); 'CALLER' } catch { 'TARGET' } finally { $s.Dispose() } }
    'Invoke-WebRequest'                           = 'Target', { (Invoke-WebRequest "http://127.0.0.1:$($args[0])/" -TimeoutSec 5).Content }
    'Invoke-RestMethod'                           = 'Target', { Invoke-RestMethod "http://127.0.0.1:$($args[0])/" -TimeoutSec 5 }
    'curl (native program)'                       = 'Target', { curl -s --max-time 5 "http://127.0.0.1:$($args[0])/" }
    'Start-Process'                               = 'Target', { $f = New-TemporaryFile; Start-Process curl -ArgumentList '-s', '--max-time', '5', "http://127.0.0.1:$($args[0])/" -RedirectStandardOutput $f -Wait; Get-Content $f; Remove-Item $f }
    'Start-Job'                                   = 'Target', { Start-Job { param($p) curl -s --max-time 5 "http://127.0.0.1:$p/" } -ArgumentList $args[0] | Receive-Job -Wait -AutoRemoveJob }
    'HttpClient'                                  = 'Target', { [Net.Http.HttpClient]::new().GetStringAsync("http://127.0.0.1:$($args[0])/").GetAwaiter().GetResult() }
    'HttpClient, host name from /etc/netns'       = 'Target', { [Net.Http.HttpClient]::new().GetStringAsync("http://$($args[2]):$($args[0])/").GetAwaiter().GetResult() }
    'HttpClient over SocketsHttpHandler'          = 'Target', { [Net.Http.HttpClient]::new([Net.Http.SocketsHttpHandler]::new()).GetStringAsync("http://127.0.0.1:$($args[0])/").GetAwaiter().GetResult() }
    'WebClient'                                   = 'Target', { [Net.WebClient]::new().DownloadString("http://127.0.0.1:$($args[0])/") }
    'HttpWebRequest'                              = 'Target', { $r = [Net.WebRequest]::Create("http://127.0.0.1:$($args[0])/").GetResponse(); [IO.StreamReader]::new($r.GetResponseStream()).ReadToEnd() }
    '[powershell]::Create().Invoke()'             = 'Target', { [powershell]::Create().AddScript($args[3]).AddArgument($args[0]).Invoke() }
    '[powershell]::Create().BeginInvoke()'        = 'Target', { $ps = [powershell]::Create().AddScript($args[3]).AddArgument($args[0]); $ps.EndInvoke($ps.BeginInvoke()) }
    '[powershell]::Create().InvokeAsync()'        = 'Target', { [powershell]::Create().AddScript($args[4]).AddArgument($args[0]).InvokeAsync().GetAwaiter().GetResult() }
    'Runspace opened, BeginInvoke()'              = 'Target', { $rs = [runspacefactory]::CreateRunspace(); $rs.Open(); $ps = [powershell]::Create().AddScript($args[3]).AddArgument($args[0]); $ps.Runspace = $rs; try { $ps.EndInvoke($ps.BeginInvoke()) } finally { $rs.Dispose() } }
    'RunspacePool opened, BeginInvoke()'          = 'Target', { $pool = [runspacefactory]::CreateRunspacePool(1, 2); $pool.Open(); $ps = [powershell]::Create().AddScript($args[3]).AddArgument($args[0]); $ps.RunspacePool = $pool; try { $ps.EndInvoke($ps.BeginInvoke()) } finally { $pool.Dispose() } }
    'Add-Type code on the calling thread'         = 'Target', { [BoundaryProbe]::Get($args[0]) }
    'Add-Type code on a thread it starts'         = 'Target', { [BoundaryProbe]::ViaThread($args[0]) }
    'Test-NetNsConnection -Port'                  = 'Target', { if ((Test-NetNsConnection -TargetAddress 127.0.0.1 -Port $args[1] -TimeoutMilliseconds 1000).Status -eq 'Success') { 'CALLER' } else { 'TARGET' } }
    'Test-Connection -TcpPort'                    = 'Target', { if (Test-Connection 127.0.0.1 -TcpPort $args[1] -TimeoutSeconds 1) { 'CALLER' } else { 'TARGET' } }
    '[Net.Dns] resolves from /etc/netns'          = 'Target', { if ([Net.Dns]::GetHostAddresses($args[2])) { 'TARGET' } }
    'ForEach-Object -Parallel'                    = 'Refused', { 1 | ForEach-Object -Parallel { 'CALLER' } }
    'ForEach-Object -Parallel by a variable'      = 'Refused', { $c = 'ForEach-Object'; 1 | & $c -Parallel { 'CALLER' } }
    'ForEach-Object -Parallel, module-qualified'  = 'Refused', { $c = 'Microsoft.PowerShell.Core\ForEach-Object'; 1 | & $c -Parallel { 'CALLER' } }
    'ForEach-Object -Parallel from [scriptblock]::Create' = 'Refused', { & ([scriptblock]::Create('1 | ForEach-Object -Parallel { "CALLER" }')) }
    'ForEach-Object -Parallel from Invoke-Expression' = 'Refused', { Invoke-Expression '1 | ForEach-Object -Parallel { "CALLER" }' }
    'Start-ThreadJob'                             = 'Refused', { Start-ThreadJob { 'CALLER' } | Receive-Job -Wait -AutoRemoveJob }
    'Start-ThreadJob from Invoke-Expression'      = 'Refused', { Invoke-Expression "Start-ThreadJob { 'CALLER' } | Receive-Job -Wait -AutoRemoveJob" }
    'Start-ThreadJob through Get-Command'         = 'Refused', { & (Get-Command Start-ThreadJob) { 'CALLER' } | Receive-Job -Wait -AutoRemoveJob }
    'Start-ThreadJob, module-qualified'           = 'Refused', { $c = 'ThreadJob\Start-ThreadJob'; & $c { 'CALLER' } | Receive-Job -Wait -AutoRemoveJob }
    'RunspacePool.BeginOpen()'                    = 'Refused', { $pool = [runspacefactory]::CreateRunspacePool(1, 2); $pool.EndOpen($pool.BeginOpen($null, $null)); 'CALLER' }
    'HttpClientHandler with UseProxy $false'      = 'Refused', { $h = [Net.Http.HttpClientHandler]::new(); $h.UseProxy = $false; [Net.Http.HttpClient]::new($h).GetStringAsync("http://127.0.0.1:$($args[0])/").GetAwaiter().GetResult() }
    'SocketsHttpHandler with a Proxy of its own'  = 'Refused', { $h = [Net.Http.SocketsHttpHandler]::new(); $h.Proxy = [Net.WebProxy]::new(); [Net.Http.HttpClient]::new($h).GetStringAsync("http://127.0.0.1:$($args[0])/").GetAwaiter().GetResult() }
    'WebClient with Proxy $null'                  = 'Refused', { $w = [Net.WebClient]::new(); $w.Proxy = $null; $w.DownloadString("http://127.0.0.1:$($args[0])/") }
    '[Task]::Run of a script block'               = 'Error',   { [Threading.Tasks.Task]::Run([Func[object]] { [BoundaryProbe]::Get(18080) }).GetAwaiter().GetResult() }
    'Add-Type code handing work to the thread pool' = 'Reported', { [BoundaryProbe]::ViaPool($args[0]) }
    'Add-Type code handing work to the thread pool (-Isolated)' = 'Target', { Add-Type -Path $args[5]; [BoundaryProbe]::ViaPool($args[0]) }
    'HttpClientHandler with UseProxy $false (-Isolated)' = 'Target', { $h = [Net.Http.HttpClientHandler]::new(); $h.UseProxy = $false; [Net.Http.HttpClient]::new($h).GetStringAsync("http://127.0.0.1:$($args[0])/").GetAwaiter().GetResult() }
    'ForEach-Object -Parallel (-Isolated)'        = 'Target', { $p = $args[0]; 1 | ForEach-Object -Parallel { curl -s --max-time 5 "http://127.0.0.1:$using:p/" } }
}

foreach ($name in $techniques.Keys) {
    $expected, $block = $techniques[$name]
    $detail = try {
        $errors = $null
        $isolated = $name -like '*(-Isolated)'
        $out = Invoke-InNetNamespace $Target $block -Isolated:$isolated -ArgumentList $Port, $CallerOnlyPort, $HostName, $get, $curl, (Join-Path $PSScriptRoot 'BoundaryProbe.cs') -ErrorVariable errors -ErrorAction SilentlyContinue
        $text = (@($out) | ForEach-Object { "$_" }) -join ' '
        if ($errors) {
            $first = $errors[0]
            $id = if ($first -is [Management.Automation.ErrorRecord]) { $first.FullyQualifiedErrorId } else { $first.ErrorRecord.FullyQualifiedErrorId }
            "ERROR ${id}: $($first.Exception.Message) $text"
        } else { $text }
    } catch {
        "ERROR $($_.FullyQualifiedErrorId): $($_.Exception.Message)"
    }
    $outcome = switch -Regex ($detail) {
        'would run outside the namespace' { 'Refused'; break }
        'NamespaceEscape' { if ($detail -match 'CALLER') { 'Reported' } else { 'Error' }; break }
        '^ERROR' { 'Error'; break }
        'CALLER' { 'Caller'; break }
        '^TARGET$' { 'Target'; break }
        default { 'Error' }
    }
    [pscustomobject]@{ Technique = $name; Expected = $expected; Outcome = $outcome; Detail = $detail } | ConvertTo-Json -Compress
}

# Start-Job makes .NET helper threads: none may be left inside a namespace, or it could not be freed once deleted.
$id = (& stat -L -c '%d:%i' "/run/netns/$Scratch")
Invoke-InNetNamespace $Scratch { Start-Job { 1 } | Receive-Job -Wait -AutoRemoveJob } | Out-Null
Remove-NetNamespace $Scratch -Confirm:$false
Start-Sleep -Milliseconds 200
$left = foreach ($t in [IO.Directory]::GetDirectories("/proc/$PID/task")) {
    $tid = [IO.Path]::GetFileName($t)
    if ((& stat -L -c '%d:%i' "$t/ns/net" 2>$null) -eq $id) { "$tid " + [IO.File]::ReadAllText("$t/comm").Trim() }
}
[pscustomobject]@{ Technique = 'no thread left in a deleted namespace after Start-Job'; Expected = 'Target'; Outcome = $(if ($left) { 'Caller' } else { 'Target' }); Detail = "$left" } | ConvertTo-Json -Compress
