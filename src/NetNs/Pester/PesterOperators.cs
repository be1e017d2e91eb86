using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace NetNs;

/// <summary>
/// NetNs's Pester 5 Should operators (-Reach, -NotReach, -HaveCaptured), written in PowerShell in NetNs.Pester.ps1
/// beside the module: that file runs in a dynamic module of its own only when they are registered, so importing NetNs
/// without Pester compiles no script (a script module would cost a fresh pwsh ~75 ms of its import).
/// </summary>
internal static class PesterOperators
{
    private const string File = "NetNs.Pester.ps1";

    // New-Module keeps the operators' functions (and the helpers they call) in a module of their own; Pester keeps
    // the -Test script blocks, which stay bound to it.
    private const string Script = """
        param($path, $passThru)
        $m = New-Module -Name NetNs.Pester -ScriptBlock ([scriptblock]::Create([IO.File]::ReadAllText($path)))
        & $m { param($p) Register-NetNsShouldOperatorCore -PassThru:$p } $passThru
        """;

    /// <summary>The operators file next to the module's assembly.</summary>
    public static string FilePath => Path.Combine(Path.GetDirectoryName(typeof(PesterOperators).Assembly.Location) ?? ".", File);

    /// <summary>Registers the operators Pester 5 lacks; returns the names registered now.</summary>
    public static Collection<PSObject> Register(CommandInvocationIntrinsics invoke, bool passThru) =>
        invoke.InvokeScript(Script, FilePath, passThru);

    /// <summary>
    /// At NetNs's import: when Pester 5's Add-ShouldOperator is in the session (Invoke-Pester's test files import
    /// NetNs after Pester), registers the operators, warning instead of failing the import when that goes wrong.
    /// Nothing at all without Pester: Pester 5 loads its Pester.dll when imported, and without it in the process no
    /// pipeline is started here (one would cost a fresh pwsh's import ~70 ms of JIT).
    /// </summary>
    public static void RegisterIfPesterIsLoaded()
    {
        if (Runspace.DefaultRunspace is null || !AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Pester"))
            return;
        try
        {
            using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
            ps.AddCommand("Test-Path").AddParameter("LiteralPath", @"Function:\Add-ShouldOperator");
            if (ps.Invoke<bool>() is not [true])
                return;
            ps.Commands.Clear();
            ps.AddScript(Script).AddArgument(FilePath).AddArgument(false);
            ps.Invoke();
            foreach (var e in ps.Streams.Error)
                Warn(e.ToString());
        }
        catch (Exception e) when (e is RuntimeException or PSInvalidOperationException or IOException)
        {
            Warn(e.Message);
        }
    }

    private static void Warn(string why)
    {
        using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddCommand("Write-Warning").AddParameter("Message", $"NetNs: the Pester operators -Reach, -NotReach and -HaveCaptured could not be registered: {why}");
        ps.Invoke();
    }
}

/// <summary>Registers the Pester operators when NetNs is imported into a session that has Pester 5 loaded.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    /// <inheritdoc/>
    public void OnImport() => PesterOperators.RegisterIfPesterIsLoaded();
}
