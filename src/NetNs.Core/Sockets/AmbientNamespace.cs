namespace NetNs.Core;

/// <summary>
/// The namespace the running code belongs to, carried with .NET's ExecutionContext (an AsyncLocal): set by
/// Invoke-InNetNamespace around a script block, it follows the block's work onto thread-pool threads (HttpClient's
/// connection setup, Task continuations), which run in the process's original namespace. What reads it (the process's
/// <see cref="NamespaceWebProxy"/>) then sends that work into the namespace instead of the caller's.
/// </summary>
public static class AmbientNamespace
{
    private static readonly AsyncLocal<NamespaceHandle?> Value = new();

    /// <summary>The namespace of the work running now, or null for the caller's own.</summary>
    public static NamespaceHandle? Current => Value.Value;

    /// <summary>Makes <paramref name="ns"/> the ambient namespace until the result is disposed (on the same thread).</summary>
    public static IDisposable Enter(NamespaceHandle ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var previous = Value.Value;
        Value.Value = ns;
        return new Restore(previous);
    }

    private sealed class Restore(NamespaceHandle? previous) : IDisposable
    {
        public void Dispose() => Value.Value = previous;
    }
}
