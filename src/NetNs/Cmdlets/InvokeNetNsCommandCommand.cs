using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Runs a script block inside a network namespace, like `ip netns exec NAME …`: on a dedicated thread that
/// has entered the namespace (with /sys remounted, so /sys/class/net shows its links), in a fresh runspace
/// bound to that thread. Native commands it starts (ip, ping, curl …) run in the namespace too. The output
/// objects come back as they are (same process, no serialization).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "NetNsCommand")]
[OutputType(typeof(PSObject))]
public sealed class InvokeNetNsCommandCommand : NetNsCmdlet
{
    private readonly object _gate = new();
    private System.Management.Automation.PowerShell? _running;
    private bool _stopping;

    /// <summary>The namespace to run in (a name, a namespace file, a PID, or a NetNs object from the pipeline).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef Namespace { get; set; } = NamespaceRef.Current;

    /// <summary>The script to run. It sees $args, not the caller's variables: pass values with -ArgumentList.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    /// <summary>Values for $args in the script block.</summary>
    [Parameter]
    [Alias("Args")]
    public object[] ArgumentList { get; set; } = [];

    /// <inheritdoc/>
    protected override bool RequiresPrivilege => true;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (Namespace.Kind == NamespaceRefKind.Current)
        {
            var e = NetNsException.Invalid("invoke command", "", "give the namespace to run in with -Namespace");
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, null));
        }
        Try(Namespace.ToString(), () =>
        {
            using var ns = Namespace.Open();
            var (output, errors) = NamespaceThread.Run(ns, RunHere, new NamespaceThreadOptions { RemountSysfs = true });
            foreach (var record in errors)
                WriteError(record);
            WriteObject(output, enumerateCollection: true);
        });
    }

    /// <inheritdoc/>
    protected override void StopProcessing()
    {
        lock (_gate)
        {
            _stopping = true;
            _running?.Stop();
        }
    }

    // Runs on the namespace thread: the runspace uses this very thread for its pipelines.
    private (Collection<PSObject> Output, List<ErrorRecord> Errors) RunHere()
    {
        var iss = InitialSessionState.CreateDefault2();
        iss.ThreadOptions = PSThreadOptions.UseCurrentThread;
        string manifest = Path.Combine(Path.GetDirectoryName(typeof(InvokeNetNsCommandCommand).Assembly.Location)!, "NetNs.psd1");
        if (File.Exists(manifest))
            iss.ImportPSModule([manifest]);
        using var runspace = RunspaceFactory.CreateRunspace(iss);
        runspace.Open();
        string location = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddCommand("Set-Location").AddParameter("LiteralPath", location).AddStatement();
        ps.AddScript(ScriptBlock.ToString());
        foreach (object arg in ArgumentList)
            ps.AddArgument(arg);
        lock (_gate)
        {
            if (_stopping)
                return ([], []);
            _running = ps;
        }
        try
        {
            var output = ps.Invoke();
            return (output, ps.Streams.Error.ToList());
        }
        catch (RuntimeException e)
        {
            // a terminating error in the script: report it like any other error of the script
            var errors = ps.Streams.Error.ToList();
            errors.Add(e.ErrorRecord);
            return ([], errors);
        }
        finally
        {
            lock (_gate)
                _running = null;
        }
    }
}
