using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Runs a script block, or a native program, inside a network namespace with `ip netns exec` parity: on a warm
/// dedicated thread that has entered the namespace with its own mount namespace (/sys remounted, /etc/netns/NAME
/// bound over /etc), in a runspace bound to that thread. Output objects are live and streamed as produced; every
/// stream reaches the caller's; `$using:`, `$input`, -ArgumentList and $LASTEXITCODE work as in ForEach-Object
/// -Parallel. With the namespace first, pipeline input goes to the block ($input) or the program's stdin; with the
/// block first, each pipeline object is a namespace to run in.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "InNetNamespace", DefaultParameterSetName = ScriptBlockSet)]
[Alias("Invoke-NetNsCommand")]
[OutputType(typeof(PSObject))]
public sealed class InvokeInNetNamespaceCommand : NetNsCmdlet
{
    /// <summary>Parameter set: a script block.</summary>
    public const string ScriptBlockSet = "ScriptBlock";

    /// <summary>Parameter set: a native program run directly.</summary>
    public const string FilePathSet = "FilePath";

    private static readonly string[] Preferences =
        ["ErrorActionPreference", "WarningPreference", "VerbosePreference", "DebugPreference", "InformationPreference",
         "ProgressPreference", "ConfirmPreference", "WhatIfPreference"];

    private readonly object _gate = new();
    private PowerShell? _running;
    private Process? _process;
    private bool _stopping;
    private NamespaceRef? _fixed;
    private string _text = "";
    private Dictionary<string, object?> _variables = [];
    private Run? _run;

    /// <summary>
    /// The namespace to run in (a name, a namespace file, a PID, or a NetNs object). Leave it out — put the script
    /// block first — to take the namespaces from the pipeline.
    /// </summary>
    [Parameter(Position = 0)]
    [NamespaceTransformation(PassScriptBlocks = true)]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public object? Namespace { get; set; }

    /// <summary>The script to run inside the namespace.</summary>
    [Parameter(Position = 1, ParameterSetName = ScriptBlockSet)]
    public ScriptBlock? ScriptBlock { get; set; }

    /// <summary>
    /// A native program to run directly inside the namespace (found on PATH), with -ArgumentList as its arguments; a
    /// .ps1 file is read and run as a script block, as Invoke-Command -FilePath does.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = FilePathSet)]
    [ValidateNotNullOrEmpty]
    public string FilePath { get; set; } = "";

    /// <summary>
    /// Values for the block's parameters ($args), or the program's arguments. `-ArgumentList $null` is one $null
    /// argument to a block (as Invoke-Command has it) and none to a program (as `&amp; prog $null` has it).
    /// </summary>
    [Parameter]
    [Alias("Args")]
    [AllowNull]
    [AllowEmptyCollection]
    public object?[]? ArgumentList { get; set; } = [];

    /// <summary>
    /// Run the block in a child pwsh process started inside the namespace (as Start-Job runs jobs) instead of a runspace
    /// of this process: everything the block does, .NET's thread pool and compiled code included, stays inside by
    /// construction. A process start per call; objects come back deserialized, and $using: values go in as copies.
    /// </summary>
    [Parameter(ParameterSetName = ScriptBlockSet)]
    public SwitchParameter Isolated { get; set; }

    /// <summary>Pipeline input: the block's $input (or the program's stdin), or the namespaces when -Namespace is left out.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <inheritdoc/>
    protected override bool RequiresPrivilege => true;

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if ((Namespace is PSObject pso ? pso.BaseObject : Namespace) is ScriptBlock first)
        {
            if (ScriptBlock is not null || ParameterSetName == FilePathSet)
                Fail("the namespace cannot be a script block: give a name, a namespace file, a PID or a NetNs object");
            ScriptBlock = first;
            Namespace = null;
        }
        if (ParameterSetName == FilePathSet && FilePath.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase))
            ScriptBlock = ReadScript(FilePath);
        if (ParameterSetName == ScriptBlockSet && ScriptBlock is null)
            Fail("give the script block to run, e.g. Invoke-InNetNamespace red { ip addr }");
        if (Namespace is NamespaceRef { Kind: NamespaceRefKind.Current })
            Fail("the namespace is empty: give the namespace to run in (a name, a namespace file, a PID or a NetNs object)");
        if (Namespace is null && !MyInvocation.ExpectingInput)
            Fail("give the namespace to run in with -Namespace, or pipe namespaces in");
        _fixed = Namespace as NamespaceRef;
        if (ScriptBlock is not null)
        {
            try
            {
                // In a child process started inside (-Isolated), PowerShell's threads are inside too.
                if (!Isolated)
                    ThreadPoolGuard.Check((System.Management.Automation.Language.ScriptBlockAst)ScriptBlock.Ast);
            }
            catch (NetNsException e)
            {
                ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, null));
            }
            (_text, var usings) = UsingVariables.Rewrite(ScriptBlock, SessionState);
            _variables = usings;
        }
        foreach (string name in Preferences)
            _variables[name] = SessionState.PSVariable.GetValue(name);
        // -Verbose and -Debug make the block write those records; -ErrorAction, -WarningAction and
        // -InformationAction apply, as on any cmdlet, to what this cmdlet writes (so -WarningVariable still gets
        // warnings that -WarningAction SilentlyContinue hides).
        if (MyInvocation.BoundParameters.TryGetValue("Verbose", out object? v))
            _variables["VerbosePreference"] = ((SwitchParameter)v).IsPresent ? ActionPreference.Continue : ActionPreference.SilentlyContinue;
        if (MyInvocation.BoundParameters.TryGetValue("Debug", out object? d))
            _variables["DebugPreference"] = ((SwitchParameter)d).IsPresent ? ActionPreference.Continue : ActionPreference.SilentlyContinue;
        if (_fixed is not null)
            _run = Start(_fixed, MyInvocation.ExpectingInput);
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (_fixed is not null)
        {
            if (MyInvocation.ExpectingInput && _run is not null)
                _run.Add(InputObject);
            _run?.Queue.WriteAvailable(this);
            return;
        }
        // Each pipeline object is a namespace.
        NamespaceRef ns;
        try
        {
            ns = (NamespaceRef)NamespaceTransformationAttribute.Convert(InputObject);
        }
        catch (ArgumentTransformationMetadataException e)
        {
            WriteError(new ErrorRecord(e, "InvalidArgument", ErrorCategory.InvalidArgument, InputObject));
            return;
        }
        if (ns.Kind == NamespaceRefKind.Current)
        {
            WriteNetNsError(NetNsException.Invalid("invoke", "", "a piped object names no namespace"), InputObject);
            return;
        }
        var run = Start(ns, expectingInput: false);
        if (run is not null)
            Finish(run);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_run is not null)
            Finish(_run);
    }

    /// <inheritdoc/>
    protected override void StopProcessing()
    {
        lock (_gate)
        {
            _stopping = true;
            _running?.BeginStop(null, null);
            KillProcess();
        }
    }

    /// <inheritdoc/>
    protected override void OnDispose()
    {
        // An early end (Select-Object -First) disposes without StopProcessing: stop what still runs.
        if (_run is { Task.IsCompleted: false } run)
        {
            StopProcessing();
            run.CompleteInput();
            run.Task.Wait(TimeSpan.FromSeconds(5));
        }
    }

    // Invoke-Command -FilePath: the file, resolved against the caller's location, is read here and run as a block.
    private ScriptBlock ReadScript(string path)
    {
        string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        if (!File.Exists(full))
            ThrowTerminatingError(new ErrorRecord(new ItemNotFoundException($"cannot run '{path}': the script file '{full}' does not exist"),
                "ScriptFileNotFound", ErrorCategory.ObjectNotFound, path));
        try
        {
            return ScriptBlock.Create(File.ReadAllText(full));
        }
        catch (ParseException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "ScriptParseError", ErrorCategory.ParserError, path));
            throw; // not reached
        }
    }

    private void Fail(string message) =>
        ThrowTerminatingError(ErrorMapping.ToErrorRecord(NetNsException.Invalid("invoke in namespace", "", message), null));

    private Run? Start(NamespaceRef reference, bool expectingInput)
    {
        Run? run = null;
        Try(reference.ToString(), () =>
        {
            using var ns = reference.Open();
            var host = NamespaceHost.Acquire(ns, new NamespaceThreadOptions { RemountSysfs = true });
            var queue = new StreamQueue();
            string location = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            // Blocking: the block may read $input before the first item has arrived from this pipeline.
            var input = new PSDataCollection<object> { BlockingEnumerator = true };
            BlockingCollection<string>? stdin = ScriptBlock is null && expectingInput ? [] : null;
            if (!expectingInput)
                input.Complete();
            var script = ScriptBlock is null ? null : new ScriptRun
            {
                Text = _text,
                Arguments = ArgumentList ?? [null],
                Variables = _variables,
                Location = location,
                Input = input,
            };
            string[] args = [.. (ArgumentList ?? []).Where(a => a is not null).Select(a => LanguagePrimitives.ConvertTo<string>(a))];
            var task = host.InvokeAsync(() =>
            {
                try
                {
                    return script is null ? NativeProgram.Run(FilePath, args, location, stdin, queue, p => Track(p))
                        : Isolated ? IsolatedRunspace.Run(script, host.Reference.ToString()!, queue, ps => Track(ps))
                        : HostedRunspace.Of(host).Run(script, queue, ps => Track(ps));
                }
                finally
                {
                    queue.Complete();
                }
            });
            task.ContinueWith(_ => host.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            run = new Run(task, queue, input, stdin);
        });
        return run;
    }

    private void Finish(Run run)
    {
        run.CompleteInput();
        run.Queue.WriteToEnd(this);
        int? exitCode;
        try
        {
            exitCode = run.Task.GetAwaiter().GetResult();
        }
        catch (NetNsException e)
        {
            WriteNetNsError(e, null);
            return;
        }
        if (exitCode is { } code)
            SessionState.PSVariable.Set("global:LASTEXITCODE", code);
    }

    private void Track(PowerShell? ps)
    {
        lock (_gate)
        {
            _running = ps;
            if (ps is not null && _stopping)
                ps.BeginStop(null, null);
        }
    }

    private void Track(Process? p)
    {
        lock (_gate)
        {
            _process = p;
            if (p is not null && _stopping)
                KillProcess();
        }
    }

    private void KillProcess()
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already ended
        }
    }

    /// <summary>One run on a namespace host: its result, its streams, and where pipeline input goes.</summary>
    private sealed record Run(Task<int?> Task, StreamQueue Queue, PSDataCollection<object> Input, BlockingCollection<string>? Stdin)
    {
        public void Add(PSObject? item)
        {
            if (Stdin is not null)
            {
                if (item is not null)
                    Stdin.Add(LanguagePrimitives.ConvertTo<string>(item));
            }
            else if (Input.IsOpen && item is not null)
            {
                Input.Add(item);
            }
        }

        public void CompleteInput()
        {
            if (Input.IsOpen)
                Input.Complete();
            Stdin?.CompleteAdding();
        }
    }
}
