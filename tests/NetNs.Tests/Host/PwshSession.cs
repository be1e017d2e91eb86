using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace NetNs.Tests;

/// <summary>
/// A real PowerShell runspace in this process with the staged module (out/NetNs/NetNs.psd1) imported, as a user
/// gets it from Import-Module. One per test class (xunit runs classes in parallel; a runspace runs one thing at a time).
/// </summary>
public sealed class PwshSession : IDisposable
{
    private readonly Runspace _runspace;

    public PwshSession()
    {
        string module = Path.Combine(CmdletMetadata.RepoRoot, "out", "NetNs", "NetNs.psd1");
        Assert.True(File.Exists(module), $"the module is not staged: {module} (dotnet build src/NetNs stages it)");
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(module);
        iss.ThrowOnRunspaceOpenError = true;
        _runspace = RunspaceFactory.CreateRunspace(iss);
        _runspace.Open();
    }

    /// <summary>Runs a script (with $args bound to the arguments) and collects what every stream got.</summary>
    public PwshResult Run(string script, params object?[] args)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        foreach (object? a in args)
            ps.AddArgument(a);
        Collection<PSObject> output = [];
        Exception? terminating = null;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException e)
        {
            terminating = e;
        }
        return new PwshResult(output, [.. ps.Streams.Error], [.. ps.Streams.Warning], [.. ps.Streams.Information], terminating);
    }

    /// <summary>Runs a script and fails the test on any error; returns the output's base objects.</summary>
    public List<object> Ok(string script, params object?[] args)
    {
        var r = Run(script, args);
        Assert.True(r.Terminating is null && r.Errors.Count == 0, $"`{script}` failed: {r.ErrorText}");
        return r.Objects;
    }

    /// <summary>A PowerShell on this session's runspace, for tests that drive it themselves (BeginInvoke, Stop).</summary>
    public PowerShell Create()
    {
        var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        return ps;
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>What one script run produced.</summary>
public sealed record PwshResult(
    Collection<PSObject> Output, List<ErrorRecord> Errors, List<WarningRecord> Warnings,
    List<InformationRecord> Information, Exception? Terminating)
{
    public List<object> Objects => [.. Output.Where(o => o is not null).Select(o => o.BaseObject)];

    /// <summary>Every error, terminating or not, as ErrorRecords (a terminating one carries its record).</summary>
    public IEnumerable<ErrorRecord> AllErrors =>
        Terminating is IContainsErrorRecord c ? Errors.Append(c.ErrorRecord) : Errors;

    public string ErrorText => string.Join("; ", AllErrors.Select(e => $"{e.FullyQualifiedErrorId}: {e}"));

    /// <summary>The single error the run produced (terminating or not).</summary>
    public ErrorRecord SingleError()
    {
        var all = AllErrors.ToList();
        Assert.True(all.Count == 1, $"expected one error, got {all.Count}: {ErrorText}");
        return all[0];
    }
}
