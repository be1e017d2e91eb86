namespace NetNs.Core;

/// <summary>
/// Where a reachability matrix runs part of its waves: this machine (a <see cref="ReachabilityHost"/> in process) or a
/// host reached over some transport that carries <see cref="ReachabilityHost.Run(string)"/>'s JSON there and back
/// (Test-NetNsLab across hosts: PowerShell remoting). Places on one kernel (the same boot_id) share its neighbour
/// tables, and the matrix paces them as one.
/// </summary>
public sealed class ReachabilityPlace
{
    private readonly Func<ReachabilityWave, CancellationToken, Task<ReachabilityWaveResult>> _run;

    private ReachabilityPlace(string name, ReachabilityKernel kernel, Func<ReachabilityWave, CancellationToken, Task<ReachabilityWaveResult>> run)
    {
        Name = name;
        Kernel = kernel;
        _run = run;
    }

    /// <summary>The place's name (a host's name, or "local").</summary>
    public string Name { get; }

    /// <summary>Its kernel as it was when the place was made.</summary>
    internal ReachabilityKernel Kernel { get; }

    /// <summary>This machine, through <paramref name="host"/> (which the caller disposes).</summary>
    public static ReachabilityPlace Local(string name, ReachabilityHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        // Off the caller's thread: the places of a wave run at once.
        return new ReachabilityPlace(name, ReachabilityHost.Kernel(), (wave, cancel) => Task.Run(() => host.RunAsync(wave, cancel), cancel));
    }

    /// <summary>
    /// A host whose <see cref="ReachabilityHost.Describe"/> said <paramref name="description"/>, and where
    /// <paramref name="run"/> passes a wave's JSON to its <see cref="ReachabilityHost.Run(string)"/> and returns the answer.
    /// </summary>
    public static ReachabilityPlace Remote(string name, string description, Func<string, CancellationToken, Task<string>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new ReachabilityPlace(name, ReachabilityJson.ReadKernel(description),
            async (wave, cancel) => ReachabilityJson.ReadResult(await run(ReachabilityJson.Write(wave), cancel).ConfigureAwait(false)));
    }

    internal Task<ReachabilityWaveResult> RunAsync(ReachabilityWave wave, CancellationToken cancellation) => _run(wave, cancellation);

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}
