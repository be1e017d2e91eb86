using System.ComponentModel;
using System.Diagnostics;
using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Starts an interactive shell inside a network namespace (`ip netns exec NS bash`): pwsh with NetNs imported and
/// the namespace in its prompt by default, or any shell with -Shell. It runs on a namespace thread with `ip netns
/// exec`'s mount setup, on the caller's terminal; the caller's prompt comes back when it exits.
/// </summary>
[Cmdlet(VerbsCommon.Enter, "NetNamespace")]
[OutputType(typeof(void))]
public sealed class EnterNetNamespaceCommand : NetNsCmdlet
{
    /// <summary>The namespace to enter (a name, a namespace file, a PID, or a NetNs object from the pipeline).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef Namespace { get; set; } = NamespaceRef.Current;

    /// <summary>The shell to start: pwsh (the default, with NetNs imported), bash, or any program ($env:SHELL, say).</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Shell { get; set; } = "pwsh";

    /// <summary>Arguments for the shell, after the ones NetNs passes to set the prompt ($null ones are left out, as `&amp; prog $null` does).</summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyCollection]
    public string?[]? ArgumentList { get; set; } = [];

    /// <inheritdoc/>
    protected override bool RequiresPrivilege => true;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (Namespace.Kind == NamespaceRefKind.Current)
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(NetNsException.Invalid("enter", "", "give the namespace to enter"), null));
        Try(Namespace.ToString(), () =>
        {
            using var ns = Namespace.Open();
            string label = ns.Name ?? Namespace.ToString() ?? ns.DisplayName;
            var psi = ShellStartInfo(label);
            psi.WorkingDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            using var host = NamespaceHost.Acquire(ns, new NamespaceThreadOptions { RemountSysfs = true });
            var (code, failure) = host.Invoke(() =>
            {
                try
                {
                    using var shell = Process.Start(psi)!; // forked from the namespace thread: inside, on the caller's terminal
                    shell.WaitForExit();
                    return (shell.ExitCode, (Win32Exception?)null);
                }
                catch (Win32Exception e)
                {
                    return (0, e);
                }
            });
            if (failure is not null)
                WriteError(new ErrorRecord(new CommandNotFoundException($"cannot start the shell '{Shell}': {failure.Message}", failure),
                    "ProgramNotFound", ErrorCategory.ObjectNotFound, Shell));
            else
                SessionState.PSVariable.Set("global:LASTEXITCODE", code);
        });
    }

    // Ctrl+C reaches the shell too (same terminal, same process group): the shell decides, the caller waits for it.
    /// <inheritdoc/>
    protected override void StopProcessing()
    {
    }

    private ProcessStartInfo ShellStartInfo(string label)
    {
        var psi = new ProcessStartInfo { UseShellExecute = false };
        psi.Environment["NETNS"] = label;
        string name = Path.GetFileName(Shell);
        if (name == "pwsh")
        {
            // The same pwsh as this one (the dotnet tool runs as `dotnet pwsh.dll`), with NetNs and a prompt naming the namespace.
            string exe = Environment.ProcessPath ?? "pwsh";
            if (Path.GetFileNameWithoutExtension(exe) == "dotnet")
            {
                psi.FileName = exe;
                psi.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
            }
            else
            {
                psi.FileName = Shell == "pwsh" ? exe : Shell;
            }
            string manifest = HostedRunspace.ModuleManifest;
            string quoted = "'" + label.Replace("'", "''") + "'";
            string init = $"Import-Module '{manifest.Replace("'", "''")}'; function global:prompt {{ \"[netns:\" + {quoted} + \"] PS $($executionContext.SessionState.Path.CurrentLocation)$('>' * ($nestedPromptLevel + 1)) \" }}";
            foreach (string a in new[] { "-NoLogo", "-NoExit", "-Command", init })
                psi.ArgumentList.Add(a);
        }
        else if (name == "bash")
        {
            // bash reads PS1 from its rc file, not the environment: a one-line rc file sources the user's and prefixes the prompt.
            string rc = Path.Combine(Path.GetTempPath(), "netns-bashrc-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(rc, "[ -f ~/.bashrc ] && . ~/.bashrc\nPS1=\"[netns:$NETNS] ${PS1:-\\\\$ }\"\nrm -f -- \"" + rc + "\"\n");
            psi.FileName = Shell;
            psi.ArgumentList.Add("--rcfile");
            psi.ArgumentList.Add(rc);
            psi.ArgumentList.Add("-i");
        }
        else
        {
            psi.FileName = Shell;
            psi.Environment["PS1"] = $"[netns:{label}] $ ";
        }
        foreach (string? a in ArgumentList ?? [])
        {
            if (a is not null)
                psi.ArgumentList.Add(a);
        }
        return psi;
    }
}
