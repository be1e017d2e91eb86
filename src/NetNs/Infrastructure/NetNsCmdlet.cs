using System.Management.Automation;
using NetNs.Core;

namespace NetNs;

/// <summary>
/// Base of the NetNs cmdlets: checks privileges once, keeps one netlink handle per namespace for the
/// pipeline, and turns core errors into non-terminating ErrorRecords (one per failed item).
/// </summary>
public abstract class NetNsCmdlet : PSCmdlet, IDisposable
{
    private readonly Dictionary<NamespaceRef, NetlinkHandle> _handles = [];

    /// <summary>Whether the cmdlet needs CAP_SYS_ADMIN and CAP_NET_ADMIN (true for anything that changes or enters a namespace).</summary>
    protected virtual bool RequiresPrivilege => true;

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        if (!RequiresPrivilege)
            return;
        var missing = Privileges.Missing();
        if (missing.Count > 0)
        {
            var e = new NetNsException(NetNsErrorReason.PermissionDenied, MyInvocation.MyCommand.Name,
                $"{MyInvocation.MyCommand.Name} needs root, or the capabilities {string.Join(" and ", missing)}: run pwsh with sudo.");
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, null));
        }
    }

    /// <summary>The netlink handle for a namespace (null: the caller's own), opened once per cmdlet invocation.</summary>
    protected NetlinkHandle Rtnl(NamespaceRef? ns)
    {
        ns ??= NamespaceRef.Current;
        if (!_handles.TryGetValue(ns, out var h))
        {
            h = NetlinkHandle.Open(ns);
            _handles[ns] = h;
        }
        return h;
    }

    /// <summary>Writes a core error as a non-terminating ErrorRecord.</summary>
    protected void WriteNetNsError(NetNsException e, object? target) => WriteError(ErrorMapping.ToErrorRecord(e, target));

    /// <summary>Runs one pipeline item's work; a core error becomes one ErrorRecord and the pipeline goes on.</summary>
    protected void Try(object? target, Action action)
    {
        try
        {
            action();
        }
        catch (NetNsException e)
        {
            WriteNetNsError(e, target);
        }
    }

    /// <summary>
    /// Writes the items matching the name patterns (every item when there are none), pattern by pattern;
    /// a pattern without wildcards that matches nothing gets <paramref name="notFound"/>'s error, as Get-Item does.
    /// </summary>
    protected void WriteMatching<T>(IReadOnlyList<T> items, string[]? patterns, WildcardOptions options,
        Func<T, WildcardPattern, string, bool> matches, Func<string, NetNsException> notFound)
    {
        if (patterns is null || patterns.Length == 0)
        {
            WriteObject(items, enumerateCollection: true);
            return;
        }
        foreach (string pattern in patterns)
        {
            var wildcard = WildcardPattern.Get(pattern, options);
            var found = items.Where(item => matches(item, wildcard, pattern)).ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                WriteNetNsError(notFound(pattern), pattern);
            WriteObject(found, enumerateCollection: true);
        }
    }

    /// <summary>"'veth0' in namespace 'red'", for ShouldProcess targets.</summary>
    protected static string Describe(string what, NamespaceRef? ns) =>
        ns is null || ns.Kind == NamespaceRefKind.Current ? what : $"{what} in namespace '{ns}'";

    /// <summary>Closes the handles opened for this invocation.</summary>
    public void Dispose()
    {
        foreach (var h in _handles.Values)
            h.Dispose();
        _handles.Clear();
        GC.SuppressFinalize(this);
    }
}
