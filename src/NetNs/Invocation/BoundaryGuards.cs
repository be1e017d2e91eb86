using System.Management.Automation;
using NetNs.Core;

namespace NetNs;

/// <summary>
/// The run-time half of Invoke-InNetNamespace's boundary, defined once in each hosted runspace (global functions and
/// a command-lookup action, so they outlive ResetRunspaceState): whatever way a block reaches ForEach-Object
/// -Parallel or Start-ThreadJob — typed, through a variable (`&amp; $c -Parallel`), Invoke-Expression,
/// [scriptblock]::Create, Get-Command, a module-qualified name — the call is refused before a thread is made outside
/// the namespace. (ThreadPoolGuard refuses the literal forms before the block starts, naming the line.) Web requests
/// of Invoke-WebRequest and Invoke-RestMethod go through a <see cref="NamespaceForwarder"/> made inside the namespace.
/// </summary>
public static class BoundaryGuards
{
    /// <summary>The NotSupported error for <paramref name="what"/> inside a namespace block (public: the guard functions throw it).</summary>
    public static ErrorRecord Refusal(string what) => ErrorMapping.ToErrorRecord(new NetNsException(NetNsErrorReason.NotSupported,
        "invoke in namespace",
        $"{what} would run outside the namespace (PowerShell makes its threads outside it): use a plain ForEach-Object, " +
        "Start-Job (a child process, which starts inside), or one Invoke-InNetNamespace per item (several run at once from " +
        "the caller's ForEach-Object -Parallel)"), what);

    /// <summary>
    /// The NamespaceEscape error for a block whose work connected from a thread outside its namespace (compiled code
    /// that handed the connection to .NET's thread pool): the connections were made in the caller's namespace.
    /// </summary>
    internal static ErrorRecord Escaped(string ns, IReadOnlyCollection<string> destinations) => ErrorMapping.ToErrorRecord(
        new NetNsException(NetNsErrorReason.NamespaceEscape, "invoke in namespace",
            $"the block's work connected to {string.Join(", ", destinations.Distinct().Take(5))} from a thread outside namespace '{ns}', " +
            "so from the caller's namespace: compiled code that hands work to .NET's thread pool (Task.Run, an async connect) " +
            "runs it outside. Make the socket on the block's thread, take it from [NetNs.Core.NamespaceSockets], or use Start-Job", ns), ns);

    /// <summary>Defines the guards in a fresh hosted runspace.</summary>
    internal static void Install(System.Management.Automation.Runspaces.Runspace runspace)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(Script).Invoke();
    }

    private const string Script = """
        function New-NetNsGuardProxy([string]$Name, [string]$Begin) {
            $meta = [System.Management.Automation.CommandMetadata]::new((Get-Command $Name -CommandType Cmdlet))
            $binding = [System.Management.Automation.ProxyCommand]::GetCmdletBindingAttribute($meta)
            $params = [System.Management.Automation.ProxyCommand]::GetParamBlock($meta)
            $body = $binding + "`nparam(" + $params + ")`n" + @'
        begin {
            __BEGIN__
            $netnsPipeline = { & $netnsCommand @PSBoundParameters }.GetSteppablePipeline($MyInvocation.CommandOrigin)
            $netnsPipeline.Begin($PSCmdlet)
        }
        process { $netnsPipeline.Process($_) }
        end { $netnsPipeline.End() }
        clean { if ($netnsForwarder) { $netnsForwarder.Dispose() } }
        '@
            $body = $body.Replace('__BEGIN__', $Begin).Replace('$netnsCommand', "(`$ExecutionContext.InvokeCommand.GetCmdlet('$Name'))")
            Set-Item "function:global:$(($Name -split '\\')[-1])" ([scriptblock]::Create($body))
        }

        # Web requests: through a forwarder made inside the namespace, unless the caller gave -UnixSocket or -Proxy.
        $web = @'
            $netnsForwarder = $null
            if (-not $PSBoundParameters.ContainsKey('UnixSocket') -and -not $PSBoundParameters.ContainsKey('Proxy') -and $PSBoundParameters.ContainsKey('Uri')) {
                $netnsForwarder = [NetNs.Core.NamespaceForwarder]::ForUri($Uri)
                if ($netnsForwarder) {
                    $PSBoundParameters['UnixSocket'] = $netnsForwarder.EndPoint
                    $PSBoundParameters['NoProxy'] = $true
                }
            }
        '@
        New-NetNsGuardProxy 'Microsoft.PowerShell.Utility\Invoke-WebRequest' $web
        New-NetNsGuardProxy 'Microsoft.PowerShell.Utility\Invoke-RestMethod' $web
        New-NetNsGuardProxy 'Microsoft.PowerShell.Core\ForEach-Object' @'
            $netnsForwarder = $null
            if ($PSBoundParameters.ContainsKey('Parallel')) { throw [NetNs.BoundaryGuards]::Refusal('ForEach-Object -Parallel') }
        '@
        Remove-Item function:New-NetNsGuardProxy

        # Start-ThreadJob by any name (ThreadJob\Start-ThreadJob, Microsoft.PowerShell.ThreadJob\Start-ThreadJob, a
        # variable, Get-Command): refused when it is looked up, before its module loads. A module-qualified
        # ForEach-Object is sent to the guarded function above.
        $refuseThreadJob = { throw [NetNs.BoundaryGuards]::Refusal('Start-ThreadJob') }
        $foreach = Get-Item function:ForEach-Object
        $ExecutionContext.InvokeCommand.PreCommandLookupAction = {
            param([string]$name, [System.Management.Automation.CommandLookupEventArgs]$e)
            if ($name -match '(^|\\)Start-ThreadJob$') {
                $e.CommandScriptBlock = $refuseThreadJob
                $e.StopSearch = $true
            } elseif ($name -match '\\ForEach-Object$') {
                $e.Command = $foreach
                $e.StopSearch = $true
            }
        }.GetNewClosure()
        function global:Start-ThreadJob { throw [NetNs.BoundaryGuards]::Refusal('Start-ThreadJob') }

        # PowerShell's own asynchronous calls open runspaces and start pipelines from thread-pool threads, outside the
        # namespace. A runspace opened here, on the namespace's thread, makes its pipeline threads inside: so the
        # PowerShell's own runspace is opened here first; a runspace pool not opened here is refused.
        $async = @'
            if ($this.RunspacePool) {
                if ("$($this.RunspacePool.RunspacePoolStateInfo.State)" -ne 'Opened') { throw [NetNs.BoundaryGuards]::Refusal('[powershell].__M__() on a runspace pool not opened inside the namespace') }
            } else {
                $rs = $this.Runspace
                if ("$($rs.RunspaceStateInfo.State)" -eq 'BeforeOpen') { $rs.Open() }
                elseif ("$($rs.RunspaceStateInfo.State)" -ne 'Opened') { throw [NetNs.BoundaryGuards]::Refusal('[powershell].__M__() on a runspace not opened inside the namespace') }
            }
            $this.psbase.__M__.Invoke($args)
        '@
        foreach ($m in 'BeginInvoke', 'InvokeAsync') {
            Update-TypeData -Force -TypeName System.Management.Automation.PowerShell -MemberType ScriptMethod -MemberName $m -Value ([scriptblock]::Create($async.Replace('__M__', $m)))
        }
        $refuse = { param($type, $member, $what) Update-TypeData -Force -TypeName $type -MemberType ScriptMethod -MemberName $member -Value ([scriptblock]::Create("throw [NetNs.BoundaryGuards]::Refusal('$what')")) }
        & $refuse System.Management.Automation.Runspaces.Runspace OpenAsync 'Runspace.OpenAsync()'
        & $refuse System.Management.Automation.Runspaces.RunspacePool BeginOpen 'RunspacePool.BeginOpen()'
        & $refuse System.Management.Automation.Runspaces.RunspacePool OpenAsync 'RunspacePool.OpenAsync()'

        # HTTP clients connect from thread-pool threads; NamespaceWebProxy sends them into the namespace through the
        # default proxy. Turning that off (UseProxy $false, a Proxy of one's own, a ConnectCallback) is refused here.
        $property = { param($type, $member, $setter) Update-TypeData -Force -TypeName $type -MemberType ScriptProperty -MemberName $member -Value ([scriptblock]::Create("`$this.psbase.$member")) -SecondValue $setter }
        $noDirect = { param($v) if ($v) { $this.psbase.UseProxy = $true } else { throw [NetNs.BoundaryGuards]::Refusal('an HTTP handler with UseProxy $false') } }
        foreach ($type in 'System.Net.Http.HttpClientHandler', 'System.Net.Http.SocketsHttpHandler') {
            & $property $type UseProxy $noDirect
            & $property $type Proxy { throw [NetNs.BoundaryGuards]::Refusal('an HTTP handler with a Proxy of its own') }
        }
        & $property System.Net.Http.SocketsHttpHandler ConnectCallback { throw [NetNs.BoundaryGuards]::Refusal('an HTTP handler with a ConnectCallback of its own') }
        foreach ($type in 'System.Net.WebClient', 'System.Net.HttpWebRequest', 'System.Net.WebRequest') {
            & $property $type Proxy { throw [NetNs.BoundaryGuards]::Refusal('a web client with a Proxy of its own') }
        }
        """;
}
