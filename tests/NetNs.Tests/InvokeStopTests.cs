using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using NetNs.Core.Tests;

namespace NetNs.Tests;

/// <summary>Ctrl+C (StopProcessing) on Invoke-InNetNamespace, as a host does it: PowerShell.Stop from another thread.</summary>
public sealed class InvokeStopTests(PwshSession pwsh) : IClassFixture<PwshSession>, IDisposable
{
    private readonly TestNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    [RootTheory]
    [InlineData("Invoke-InNetNamespace $args[0] { 'started'; sleep 30; 'never' }")]
    [InlineData("Invoke-InNetNamespace $args[0] -FilePath sh -ArgumentList '-c', 'echo started; sleep 30; echo never'")]
    public void StopEndsTheBlockAndKillsItsProgramPromptly(string script)
    {
        string ns = _ns.Create();
        using var ps = pwsh.Create();
        ps.AddScript(script).AddArgument(ns);
        var output = new PSDataCollection<PSObject>();
        using var started = new ManualResetEventSlim();
        output.DataAdded += (_, _) => started.Set();
        var async = ps.BeginInvoke<PSObject, PSObject>(null, output);
        Assert.True(started.Wait(TimeSpan.FromSeconds(20)), "the block did not start");
        Assert.True(SpinWait.SpinUntil(() => TestNamespaces.Ip("netns", "pids", ns).Trim().Length > 0, TimeSpan.FromSeconds(10)),
            "sleep did not start inside the namespace");

        var clock = Stopwatch.StartNew();
        ps.Stop();
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {clock.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Equal(["started"], output.Select(o => o.BaseObject));
        Assert.True(SpinWait.SpinUntil(() => TestNamespaces.Ip("netns", "pids", ns).Trim().Length == 0, TimeSpan.FromSeconds(5)),
            "the program started inside is still running");
    }
}
