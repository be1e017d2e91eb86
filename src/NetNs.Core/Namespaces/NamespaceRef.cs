using System.Globalization;

namespace NetNs.Core;

/// <summary>How a namespace was named by the user.</summary>
public enum NamespaceRefKind
{
    /// <summary>The caller's own namespace.</summary>
    Current,
    /// <summary>A name under /run/netns.</summary>
    Name,
    /// <summary>A namespace file path.</summary>
    Path,
    /// <summary>The namespace of a process.</summary>
    ProcessId,
}

/// <summary>
/// A namespace as a user names it — a name, a namespace file path, a process id, or nothing for the
/// caller's own — checked but not yet opened. <see cref="Open"/> gives a handle.
/// </summary>
public sealed class NamespaceRef : IEquatable<NamespaceRef>
{
    private NamespaceRef(NamespaceRefKind kind, string? value, int pid)
    {
        Kind = kind;
        Value = value;
        ProcessId = pid;
    }

    /// <summary>The caller's own namespace.</summary>
    public static NamespaceRef Current { get; } = new(NamespaceRefKind.Current, null, 0);

    /// <summary>What kind of reference this is.</summary>
    public NamespaceRefKind Kind { get; }

    /// <summary>The name or path; null for Current and ProcessId.</summary>
    public string? Value { get; }

    /// <summary>The process id for ProcessId.</summary>
    public int ProcessId { get; }

    /// <summary>A name under /run/netns (checked).</summary>
    public static NamespaceRef FromName(string name) => new(NamespaceRefKind.Name, Names.CheckNamespaceName(name), 0);

    /// <summary>A namespace file path.</summary>
    public static NamespaceRef FromPath(string path)
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\0'))
            throw NetNsException.Invalid("use namespace", path ?? "", "a namespace path cannot be empty or contain NUL");
        return new(NamespaceRefKind.Path, path, 0);
    }

    /// <summary>The namespace of a process.</summary>
    public static NamespaceRef FromProcessId(int pid) =>
        pid > 0 ? new(NamespaceRefKind.ProcessId, null, pid)
                : throw NetNsException.Invalid("use namespace", pid.ToString(CultureInfo.InvariantCulture), $"process id {pid} is not valid");

    /// <summary>
    /// Reads what a user typed: empty for the current namespace; anything with a '/' is a path; digits are a
    /// process id unless /run/netns has a namespace of that name; anything else is a name.
    /// </summary>
    public static NamespaceRef Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return Current;
        if (text.Contains('/'))
            return FromPath(text);
        if (text.All(char.IsAsciiDigit) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && !NamedNamespaces.Exists(text))
            return FromProcessId(pid);
        return FromName(text);
    }

    /// <summary>Opens it. NamespaceNotFound when it does not exist.</summary>
    public NamespaceHandle Open() => Kind switch
    {
        NamespaceRefKind.Name => NamespaceHandle.OpenName(Value!),
        NamespaceRefKind.Path => NamespaceHandle.OpenPath(Value!, NamedNamespaces.NameOfPath(Value!)),
        NamespaceRefKind.ProcessId => NamespaceHandle.OpenProcess(ProcessId),
        _ => NamespaceHandle.OpenCurrent(),
    };

    /// <summary>Opens it, or gives null for the caller's own namespace (what the core's null namespace means).</summary>
    public NamespaceHandle? OpenUnlessCurrent() => Kind == NamespaceRefKind.Current ? null : Open();

    /// <summary>The string a user would type back; null for the caller's own namespace.</summary>
    public override string? ToString() => Kind switch
    {
        NamespaceRefKind.ProcessId => ProcessId.ToString(CultureInfo.InvariantCulture),
        _ => Value,
    };

    /// <inheritdoc/>
    public bool Equals(NamespaceRef? other) =>
        other is not null && other.Kind == Kind && other.Value == Value && other.ProcessId == ProcessId;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NamespaceRef);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Value, ProcessId);
}
