namespace NetNs.Core;

/// <summary>
/// Collects what went wrong reading the runtimes' state: at most one warning per runtime (the first problem, and
/// how many more there were), so a malformed state directory is one line, not one per container.
/// </summary>
public sealed class RuntimeWarnings
{
    private readonly Dictionary<string, (string First, int Count)> _byRuntime = new(StringComparer.Ordinal);

    /// <summary>Notes a problem with <paramref name="runtime"/>'s state.</summary>
    public void Add(string runtime, string problem)
    {
        lock (_byRuntime)
            _byRuntime[runtime] = _byRuntime.TryGetValue(runtime, out var e) ? (e.First, e.Count + 1) : (problem, 1);
    }

    /// <summary>Notes an exception from reading <paramref name="runtime"/>'s state at <paramref name="where"/>.</summary>
    public void Add(string runtime, string where, Exception e) => Add(runtime, $"{where}: {e.Message}");

    /// <summary>One message per runtime that had problems, sorted by runtime.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_byRuntime)
            {
                return [.. _byRuntime.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
                    $"{kv.Key}: its state could not be read, its containers are not named ({kv.Value.First}"
                    + (kv.Value.Count > 1 ? $"; and {kv.Value.Count - 1} more problem(s))" : ")"))];
            }
        }
    }

    /// <summary>Whether a warning was noted for <paramref name="runtime"/>.</summary>
    public bool Has(string runtime)
    {
        lock (_byRuntime)
            return _byRuntime.ContainsKey(runtime);
    }
}
