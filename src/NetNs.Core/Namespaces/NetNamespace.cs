namespace NetNs.Core;

/// <summary>Whether a named namespace is there, or only its file is.</summary>
public enum NamespaceState
{
    /// <summary>A namespace is mounted on the file.</summary>
    Active,
    /// <summary>The file under /run/netns has no namespace on it (a crashed creation): remove it, or create the name again.</summary>
    Stale,
}

/// <summary>A network namespace as NetNs reports it. Holds no open descriptor.</summary>
public sealed class NetNamespace
{
    /// <summary>Name under /run/netns, or null for an unnamed namespace (e.g. a process's).</summary>
    public string? Name { get; init; }

    /// <summary>The file that pins it: /run/netns/NAME, or /proc/PID/ns/net.</summary>
    public string Path { get; init; } = "";

    /// <summary>
    /// The id the caller's namespace uses for it (`ip netns list-id`), or null when none is assigned.
    /// </summary>
    public int? NsId { get; init; }

    /// <summary>Inode of its nsfs file (what `readlink /proc/PID/ns/net` shows as net:[INODE]).</summary>
    public ulong Inode { get; init; }

    /// <summary>Device of its nsfs file; with <see cref="Inode"/> the namespace's identity.</summary>
    public ulong Device { get; init; }

    /// <summary>Active, or Stale for a file under /run/netns with no namespace on it (Inode and Device are then 0).</summary>
    public NamespaceState State { get; init; }

    /// <summary>For an `ip netns attach`-ed or discovered namespace: the process it was taken from.</summary>
    public int? ProcessId { get; init; }

    /// <summary>
    /// The namespace as the -Namespace of every NetNs cmdlet takes it (its name, else its path), so a NetNamespace
    /// binds there by property name too, like every other NetNs object.
    /// </summary>
    public string Namespace => Name ?? Path;

    /// <summary>The name a user would type back: Name, else Path.</summary>
    public override string ToString() => Name ?? Path;
}
