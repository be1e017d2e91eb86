using System.Collections.Concurrent;

namespace NetNs.Core;

/// <summary>
/// The namespace the running code belongs to, carried with .NET's ExecutionContext (an AsyncLocal): set by
/// Invoke-InNetNamespace around a script block, it follows the block's work onto thread-pool threads (HttpClient's
/// connection setup, Task continuations), which run in the process's original namespace. What reads it (the process's
/// <see cref="NamespaceWebProxy"/>) then sends that work into the namespace instead of the caller's, and
/// <see cref="EscapeWatch"/> notes each connection the work still makes from a thread outside it.
/// </summary>
public static class AmbientNamespace
{
    private static readonly AsyncLocal<Scope?> Value = new();

    /// <summary>The namespace of the work running now, or null for the caller's own.</summary>
    public static NamespaceHandle? Current => Value.Value?.Namespace;

    /// <summary>The scope of the work running now, or null.</summary>
    public static Scope? CurrentScope => Value.Value;

    /// <summary>Makes <paramref name="ns"/> the ambient namespace until the scope is disposed (on the same thread).</summary>
    public static Scope Enter(NamespaceHandle ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var scope = new Scope(ns, Value.Value);
        Value.Value = scope;
        return scope;
    }

    /// <summary>
    /// No ambient namespace until the result is disposed: for NetNs's own connects of sockets made inside a namespace
    /// (<see cref="NamespaceSockets"/>), which are contained whichever thread connects them.
    /// </summary>
    internal static IDisposable Leave()
    {
        var previous = Value.Value;
        Value.Value = null;
        return new Restore(previous);
    }

    private sealed class Restore(Scope? previous) : IDisposable
    {
        public void Dispose() => Value.Value = previous;
    }

    /// <summary>One stretch of work in a namespace, and the connections it made from outside it.</summary>
    public sealed class Scope : IDisposable
    {
        private readonly Scope? _previous;
        private readonly ConcurrentQueue<string> _escapes = new();

        internal Scope(NamespaceHandle ns, Scope? previous)
        {
            Namespace = ns;
            _previous = previous;
        }

        /// <summary>The namespace.</summary>
        public NamespaceHandle Namespace { get; }

        /// <summary>
        /// The destinations ("198.18.0.2:80") the scope's work connected to from a thread outside the namespace, in
        /// the caller's namespace instead: seen by <see cref="EscapeWatch"/> as they happened, not prevented.
        /// </summary>
        public IReadOnlyCollection<string> Escapes => _escapes;

        internal void NoteEscape(string destination) => _escapes.Enqueue(destination);

        /// <summary>Restores the ambient namespace there was before.</summary>
        public void Dispose() => Value.Value = _previous;
    }
}
