using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace NetNs;

/// <summary>
/// Invoke-InNetNamespace -Isolated: the block runs in a child pwsh process started from a thread inside the namespace
/// (with `ip netns exec`'s mount setup), through an out-of-process runspace, as Start-Job runs its jobs. The whole
/// process is inside, so everything the block does — .NET's thread pool and compiled code included — stays there by
/// construction; the price is a process start per call and objects that come back deserialized (property bags, as
/// from Start-Job or Invoke-Command). Run on the namespace host's thread.
/// </summary>
internal static class IsolatedRunspace
{
    // What the child runs first: NetNs, the caller's values, location and arguments, then the block over $input.
    private const string Prelude = """
        param($__NetNsModule, $__NetNsVariables, $__NetNsLocation, $__NetNsArguments, $__NetNsLabel)
        if ($__NetNsModule) { Import-Module $__NetNsModule; [NetNs.Core.NamespaceHandle]::ProcessLabel = $__NetNsLabel }
        Remove-Variable __NetNsLabel
        foreach ($__NetNsName in $__NetNsVariables.Keys) { Set-Variable -Name $__NetNsName -Value $__NetNsVariables[$__NetNsName] }
        Remove-Variable __NetNsName, __NetNsVariables, __NetNsModule
        try { Set-Location -LiteralPath $__NetNsLocation } catch { }
        Remove-Variable __NetNsLocation
        $input | & ([scriptblock]::Create(
        """;

    /// <summary>Runs the script in a new child process; returns its $LASTEXITCODE when a native command set it.</summary>
    public static int? Run(ScriptRun run, string label, StreamQueue queue, Action<PowerShell?> started)
    {
        // PowerShellProcessInstance is not in the reference assemblies NetNs builds against (PowerShellStandard.Library):
        // it is taken from the System.Management.Automation that runs.
        var processType = typeof(PowerShell).Assembly.GetType("System.Management.Automation.Runspaces.PowerShellProcessInstance", throwOnError: true)!;
        var process = (IDisposable)Activator.CreateInstance(processType, [null, null, null, false])!;
        var create = typeof(RunspaceFactory).GetMethod(nameof(RunspaceFactory.CreateOutOfProcessRunspace), [typeof(TypeTable), processType])!;
        using var runspace = (Runspace)create.Invoke(null, [null, process])!;
        runspace.Open(); // starts the child from this thread: inside the namespace, with its /sys and /etc binds
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        string text = Prelude + QuoteAsString(run.Text) + ")) @__NetNsArguments\n[pscustomobject]@{ __NetNsExitCode = $LASTEXITCODE }";
        var variables = new System.Collections.Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in run.Variables)
            variables[name] = value;
        ps.AddScript(text)
            .AddArgument(File.Exists(HostedRunspace.ModuleManifest) ? HostedRunspace.ModuleManifest : null)
            .AddArgument(variables)
            .AddArgument(run.Location)
            .AddArgument(run.Arguments)
            .AddArgument(label);
        var output = new PSDataCollection<PSObject>();
        int? exitCode = null;
        // The last object the prelude writes carries the child's $LASTEXITCODE: held back, not forwarded.
        PSObject? held = null;
        output.DataAdded += (_, _) =>
        {
            foreach (var item in output.ReadAll())
            {
                if (held is not null)
                {
                    var o = held;
                    queue.Post(c => c.WriteObject(o));
                }
                held = item;
            }
        };
        queue.Attach(ps, new PSDataCollection<PSObject>());
        started(ps);
        try
        {
            ps.Invoke(run.Input, output);
            if (held?.Properties["__NetNsExitCode"] is { } marker)
                exitCode = marker.Value is int code ? code : null;
            else if (held is not null)
            {
                var o = held;
                queue.Post(c => c.WriteObject(o));
            }
        }
        catch (PipelineStoppedException)
        {
            // stopped by the caller
        }
        catch (RuntimeException e)
        {
            queue.Post(c => c.WriteError(e.ErrorRecord));
        }
        finally
        {
            started(null);
            runspace.Close();
            try
            {
                (processType.GetProperty("Process")?.GetValue(process) as System.Diagnostics.Process)?.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // already ended
            }
            process.Dispose();
        }
        return exitCode;
    }

    private static string QuoteAsString(string text) => "'" + text.Replace("'", "''") + "'";
}
