using System.Diagnostics;

namespace NetNs.Bench;

/// <summary>What one build + teardown took.</summary>
internal sealed record Measurement(TimeSpan Build, TimeSpan Teardown)
{
    public TimeSpan Total => Build + Teardown;

    /// <summary>Figures the variant reports besides (e.g. the python script's own clock).</summary>
    public Dictionary<string, TimeSpan> Extra { get; } = [];

    /// <summary>How many processes it started (for the subprocess variants).</summary>
    public int? Processes { get; init; }

    /// <summary>Time per step type (NetNs.Core sequential only).</summary>
    public Profile? Profile { get; init; }
}

/// <summary>One way of building and tearing down the topology.</summary>
internal abstract class Variant
{
    /// <summary>The letter used with --only (a, a2, b, c, d).</summary>
    public abstract string Key { get; }

    public abstract string Label { get; }

    /// <summary>Null when it can run here, else why not.</summary>
    public virtual string? Unavailable => null;

    /// <summary>
    /// Builds the topology, calls <paramref name="verify"/> (not timed), tears it down. Must leave no
    /// namespace with the topology's tag behind when it returns normally; the caller cleans up after a throw.
    /// </summary>
    public abstract Measurement Run(Topology t, Action<Topology> verify, CancellationToken ct);
}

/// <summary>Accumulated time and count per step type.</summary>
internal sealed class Profile
{
    private readonly Dictionary<string, (long Ticks, int Count)> _steps = [];
    private readonly List<string> _order = [];

    public void Step(string name, Action action)
    {
        long t0 = Stopwatch.GetTimestamp();
        try
        {
            action();
        }
        finally
        {
            Add(name, Stopwatch.GetTimestamp() - t0);
        }
    }

    public T Step<T>(string name, Func<T> func)
    {
        long t0 = Stopwatch.GetTimestamp();
        try
        {
            return func();
        }
        finally
        {
            Add(name, Stopwatch.GetTimestamp() - t0);
        }
    }

    private void Add(string name, long ticks)
    {
        if (!_steps.TryGetValue(name, out var s))
            _order.Add(name);
        _steps[name] = (s.Ticks + ticks, s.Count + 1);
    }

    public IEnumerable<(string Name, TimeSpan Time, int Count)> Steps =>
        _order.Select(n => (n, Stopwatch.GetElapsedTime(0, _steps[n].Ticks), _steps[n].Count));
}
