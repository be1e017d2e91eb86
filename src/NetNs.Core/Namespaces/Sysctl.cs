namespace NetNs.Core;

/// <summary>
/// net.* sysctls of a namespace, read and written on a thread inside it (/proc/sys/net follows the
/// calling thread's namespace).
/// </summary>
public static class Sysctl
{
    /// <summary>The IPv4 forwarding switch (`sysctl net.ipv4.ip_forward`): what a router or a network's namespace turns on.</summary>
    public const string Forward4 = "net.ipv4.ip_forward";

    /// <summary>The IPv6 forwarding switch for all interfaces (`sysctl net.ipv6.conf.all.forwarding`).</summary>
    public const string Forward6 = "net.ipv6.conf.all.forwarding";

    /// <summary>The forwarding switch of a family.</summary>
    public static string ForwardingKey(IPAddressFamily family) => family == IPAddressFamily.IPv4 ? Forward4 : Forward6;

    /// <summary>
    /// Reads a key such as "net.ipv4.ip_forward" (or "net/ipv4/ip_forward").
    /// Equivalent to: `ip netns exec NAME sysctl -n KEY`. <paramref name="ns"/> null: the caller's namespace.
    /// </summary>
    public static string Get(NamespaceHandle? ns, string key)
    {
        string path = PathOf(key);
        return Run(ns, () => Read(path, key));
    }

    /// <summary>A key with its value, as an object. Equivalent to: `ip netns exec NAME sysctl KEY`.</summary>
    public static NetNsSysctl GetEntry(NamespaceHandle? ns, string key, string? namespaceName = null)
    {
        string path = PathOf(key);
        string value = Run(ns, () => Read(path, key));
        return new NetNsSysctl { Namespace = namespaceName, Key = KeyOf(path), Value = value };
    }

    /// <summary>
    /// The keys matching <paramref name="pattern"/>, a key whose parts may hold the wildcards * and ?
    /// ("net.ipv4.conf.*.forwarding"), with their values, sorted by key; keys that cannot be read (write-only ones
    /// such as net.ipv4.route.flush) are left out, as `sysctl -a` does. Equivalent to: `ip netns exec NAME sysctl -a
    /// --pattern REGEX`.
    /// </summary>
    public static IReadOnlyList<NetNsSysctl> Find(NamespaceHandle? ns, string pattern, string? namespaceName = null)
    {
        string glob = PathOf(pattern, allowWildcards: true);
        string[] parts = glob["/proc/sys/".Length..].Split('/');
        return Run(ns, () =>
        {
            var paths = new List<string> { "/proc/sys" };
            for (int i = 0; i < parts.Length; i++)
            {
                bool last = i == parts.Length - 1;
                var next = new List<string>();
                foreach (string dir in paths)
                {
                    if (!Directory.Exists(dir))
                        continue;
                    IEnumerable<string> entries = last ? Directory.EnumerateFiles(dir) : Directory.EnumerateDirectories(dir);
                    next.AddRange(entries.Where(e => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(parts[i], Path.GetFileName(e), ignoreCase: false)));
                }
                paths = next;
            }
            var found = new List<NetNsSysctl>();
            foreach (string path in paths.Order(StringComparer.Ordinal))
            {
                // write-only or vanished: sysctl -a leaves these out too
                if (TryReadHere(path) is string value)
                    found.Add(new NetNsSysctl { Namespace = namespaceName, Key = KeyOf(path), Value = value });
            }
            return (IReadOnlyList<NetNsSysctl>)found;
        });
    }

    /// <summary>
    /// What a partly typed key can become, for tab completion: the keys and branches (ending in ".", so completion can
    /// go on: "net.ipv4.conf.") beside its last part that start with it, sorted; only under net., which is what NetNs
    /// reads and writes. Equivalent to: listing /proc/sys/net/... inside <paramref name="ns"/> (the calling thread's
    /// namespace when null), whose per-interface branches (net.ipv4.conf.eth0) are that namespace's.
    /// </summary>
    public static IReadOnlyList<string> Complete(NamespaceHandle? ns, string typed)
    {
        typed ??= "";
        int dot = typed.LastIndexOf('.');
        string branch = dot < 0 ? "" : typed[..dot];
        string start = typed[(dot + 1)..];
        if (branch.Length == 0)
            return "net".StartsWith(start, StringComparison.Ordinal) ? ["net."] : [];
        if (!(branch == "net" || branch.StartsWith("net.", StringComparison.Ordinal)) || branch.Contains('/') || branch.Split('.').Contains(""))
            return [];
        string dir = "/proc/sys/" + branch.Replace('.', '/');
        return Run(ns, () =>
        {
            if (!Directory.Exists(dir))
                return (IReadOnlyList<string>)[];
            var found = new List<string>();
            foreach (var e in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                if (e.Name.StartsWith(start, StringComparison.Ordinal) && !e.Name.Contains('.'))
                    found.Add(branch + "." + e.Name + (e is DirectoryInfo ? "." : ""));
            }
            found.Sort(StringComparer.Ordinal);
            return found;
        });
    }

    /// <summary>
    /// A key's entry, or — when the key is a branch such as "net.ipv4" — every readable key beneath it, sorted, as
    /// `sysctl net.ipv4` lists them. Equivalent to: `ip netns exec NAME sysctl KEY`.
    /// </summary>
    public static IReadOnlyList<NetNsSysctl> Lookup(NamespaceHandle? ns, string key, string? namespaceName = null)
    {
        string path = PathOf(key);
        return Run(ns, () =>
        {
            if (!Directory.Exists(path))
                return (IReadOnlyList<NetNsSysctl>)[new NetNsSysctl { Namespace = namespaceName, Key = KeyOf(path), Value = Read(path, key) }];
            var found = new List<NetNsSysctl>();
            foreach (string file in Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .Order(StringComparer.Ordinal))
            {
                if (TryReadHere(file) is string value)
                    found.Add(new NetNsSysctl { Namespace = namespaceName, Key = KeyOf(file), Value = value });
            }
            return found;
        });
    }

    /// <summary>Whether a key holds the wildcards * or ?.</summary>
    public static bool HasWildcards(string key) => key.IndexOfAny(['*', '?']) >= 0;

    // "/proc/sys/net/ipv4/conf/eth0.100/forwarding" -> "net.ipv4.conf.eth0/100.forwarding", as sysctl(8) writes it.
    private static string KeyOf(string path) =>
        string.Join('.', path["/proc/sys/".Length..].Split('/').Select(p => p.Replace('.', '/')));

    /// <summary>Writes a key. Equivalent to: `ip netns exec NAME sysctl -w KEY=VALUE`.</summary>
    public static void Set(NamespaceHandle? ns, string key, string value)
    {
        string path = PathOf(key);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\n') || value.Contains('\0'))
            throw NetNsException.Invalid("set sysctl", key, "a sysctl value cannot contain a newline or NUL");
        Run<object?>(ns, () =>
        {
            try
            {
                File.WriteAllText(path, value);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Failure("set", key, e);
            }
            return null;
        });
    }

    /// <summary>
    /// Maps a key to its /proc/sys path: it must start with "net.", and each part is letters, digits, '_' or
    /// '-' (interface names with dots must use the '/' form).
    /// </summary>
    public static string PathOf(string key) => PathOf(key, allowWildcards: false);

    private static string PathOf(string key, bool allowWildcards)
    {
        if (string.IsNullOrEmpty(key))
            throw NetNsException.Invalid("use sysctl", "", "a sysctl key cannot be empty");
        bool slashForm = key.Contains('/');
        string[] parts = key.Split(slashForm ? '/' : '.');
        if (parts[0] != "net" || parts.Length < 2
            || parts.Any(p => p.Length == 0 || p is "." or ".." || !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'
                || (slashForm && c == '.') || (allowWildcards && c is '*' or '?'))))
            throw NetNsException.Invalid("use sysctl", key, $"'{key}' is not a net.* sysctl key (e.g. net.ipv4.ip_forward)");
        return "/proc/sys/" + string.Join('/', parts);
    }

    /// <summary>
    /// The value at <paramref name="path"/> (from <see cref="PathOf(string)"/>) in the calling thread's namespace, or
    /// null when it cannot be read (write-only, or not there: e.g. IPv6 switches with IPv6 disabled).
    /// </summary>
    internal static string? TryReadHere(string path)
    {
        try
        {
            return File.ReadAllText(path).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Read(string path, string key)
    {
        try
        {
            return File.ReadAllText(path).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("read", key, e);
        }
    }

    private static NetNsException Failure(string verb, string key, Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException =>
            new NetNsException(NetNsErrorReason.SysctlNotFound, verb + " sysctl", $"sysctl '{key}' not found", key, Interop.Errno.ENOENT, inner: e),
        UnauthorizedAccessException =>
            new NetNsException(NetNsErrorReason.PermissionDenied, verb + " sysctl", $"cannot {verb} sysctl '{key}': permission denied", key, Interop.Errno.EACCES, inner: e),
        // .NET on Unix keeps the errno in HResult: EINVAL/ERANGE is the kernel refusing the value.
        IOException when e.HResult is Interop.Errno.EINVAL or Interop.Errno.ERANGE =>
            new NetNsException(NetNsErrorReason.InvalidArgument, verb + " sysctl", $"cannot {verb} sysctl '{key}': the kernel refused the value ({e.Message})", key, e.HResult, inner: e),
        _ => new NetNsException(NetNsErrorReason.OperationFailed, verb + " sysctl", $"cannot {verb} sysctl '{key}': {e.Message}", key, inner: e),
    };

    private static T Run<T>(NamespaceHandle? ns, Func<T> func) =>
        ns is null ? func() : NamespaceWorker.Run(ns, func);
}
