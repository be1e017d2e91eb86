using System.Management.Automation;
using System.Management.Automation.Runspaces;
using NetNs.Core;

namespace NetNs;

/// <summary>What one run of a script block inside a namespace needs from the caller.</summary>
internal sealed class ScriptRun
{
    public required string Text { get; init; }
    public required object?[] Arguments { get; init; }
    public required Dictionary<string, object?> Variables { get; init; }
    public required string Location { get; init; }
    public required PSDataCollection<object> Input { get; init; }
}

/// <summary>
/// A runspace bound to a <see cref="NamespaceHost"/>'s thread (PSThreadOptions.UseCurrentThread), kept in the
/// host's State so later calls reuse it (the module import and the runspace cost about 20 ms once). Every run
/// starts from a clean state: ResetRunspaceState clears what the last one left, and the script runs in a local
/// scope. Used only on the host's thread.
/// </summary>
internal sealed class HostedRunspace : IDisposable
{
    private readonly Runspace _runspace;
    private readonly NamespaceHost _host;

    /// <summary>The staged module's manifest, beside NetNs.dll: what a runspace or shell inside a namespace imports.</summary>
    public static string ModuleManifest { get; } = Path.Combine(Path.GetDirectoryName(typeof(HostedRunspace).Assembly.Location)!, "NetNs.psd1");

    private HostedRunspace(NamespaceHost host)
    {
        _host = host;
        NamespaceWebProxy.Install();
        var iss = InitialSessionState.CreateDefault2();
        iss.ThreadOptions = PSThreadOptions.UseCurrentThread;
        if (File.Exists(ModuleManifest))
            iss.ImportPSModule([ModuleManifest]);
        _runspace = RunspaceFactory.CreateRunspace(iss);
        _runspace.Open();
        BoundaryGuards.Install(_runspace);
    }

    /// <summary>The host's runspace, made on first use (call on the host's thread).</summary>
    public static HostedRunspace Of(NamespaceHost host)
    {
        if (host.State is HostedRunspace r)
            return r;
        var made = new HostedRunspace(host);
        host.State = made;
        return made;
    }

    /// <summary>
    /// Runs the script with its streams going to <paramref name="queue"/> as they are written, and returns the
    /// script's $LASTEXITCODE when a native command set it. <paramref name="started"/> gets the PowerShell so the
    /// caller can stop it from another thread.
    /// </summary>
    public int? Run(ScriptRun run, StreamQueue queue, Action<PowerShell?> started)
    {
        _runspace.ResetRunspaceState();
        var state = _runspace.SessionStateProxy;
        foreach (var (name, value) in run.Variables)
            state.SetVariable(name, value);
        try
        {
            state.Path.SetLocation(WildcardPattern.Escape(run.Location));
        }
        catch (Exception e) when (e is ItemNotFoundException or PSArgumentException or System.Management.Automation.DriveNotFoundException)
        {
            // the caller's location is not a directory here: start in the namespace thread's own
        }
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(run.Text, useLocalScope: true);
        foreach (object? a in run.Arguments)
            ps.AddArgument(a);
        var output = new PSDataCollection<PSObject>();
        queue.Attach(ps, output);
        started(ps);
        // The block's work carries its namespace onto thread-pool threads: HttpClient's connections go through it, and
        // a connection the work still makes from outside the namespace is noted on the scope and reported below.
        var scope = AmbientNamespace.Enter(_host.Namespace);
        try
        {
            ps.Invoke(run.Input, output);
        }
        catch (PipelineStoppedException)
        {
            // stopped by the caller (Ctrl+C, or an early end of its pipeline)
        }
        catch (RuntimeException e)
        {
            // a terminating error in the block is the block's error, as Invoke-Command reports it
            queue.Post(c => c.WriteError(e.ErrorRecord));
        }
        finally
        {
            scope.Dispose();
            started(null);
        }
        if (scope.Escapes.Count > 0)
        {
            var escaped = BoundaryGuards.Escaped(_host.DisplayName, scope.Escapes);
            queue.Post(c => c.WriteError(escaped));
        }
        return state.GetVariable("LASTEXITCODE") is int code ? code : null;
    }

    public void Dispose() => _runspace.Dispose();
}
