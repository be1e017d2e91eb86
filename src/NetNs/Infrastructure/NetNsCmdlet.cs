using System.Management.Automation;
using NetNs.Core;

namespace NetNs;

/// <summary>
/// Base of the NetNs cmdlets: checks privileges when they are needed (a change about to be made, or a
/// namespace that could not be entered), refuses an explicitly empty namespace on changing cmdlets, leases one
/// netlink handle per namespace for the pipeline from the core's cache (so later cmdlet calls reuse it), and turns
/// core errors into non-terminating ErrorRecords (one per failed item).
/// </summary>
public abstract class NetNsCmdlet : PSCmdlet, IDisposable
{
    private readonly Dictionary<NamespaceRef, NetlinkHandleLease> _leases = [];
    private bool _privilegesChecked;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// Cancelled when the user stops the pipeline (Ctrl+C, StopProcessing): long operations hand it to the core, which
    /// ends between steps (a lab deploy undoing what it added) instead of running to the end.
    /// </summary>
    protected internal CancellationToken StopToken => _stopping.Token;

    /// <inheritdoc/>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// Whether the cmdlet needs CAP_SYS_ADMIN and CAP_NET_ADMIN before it does anything (it enters namespaces
    /// whatever it is given). Others check at their first change (after -WhatIf/-Confirm said yes) or when a
    /// namespace cannot be entered, so reads of the caller's own namespace and -WhatIf work unprivileged.
    /// </summary>
    protected virtual bool RequiresPrivilege => false;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> s_changing = new();

    /// <summary>Whether this cmdlet changes things (it supports -WhatIf): an empty -Namespace is then refused. Read once per type.</summary>
    private bool IsChanging => s_changing.GetOrAdd(GetType(), t =>
        t.GetCustomAttributes(typeof(CmdletAttribute), false) is [CmdletAttribute { SupportsShouldProcess: true }, ..]);

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        if (IsChanging)
        {
            // Only what was given on the command line is bound here: `-Namespace ''` or `-Namespace $null`
            // (an unset variable) must not quietly mean the caller's own namespace. Omitting it does.
            foreach (var (name, value) in MyInvocation.BoundParameters)
            {
                if (value is NamespaceRef { Kind: NamespaceRefKind.Current })
                    ThrowTerminatingError(ErrorMapping.ToErrorRecord(NetNsException.Invalid(MyInvocation.MyCommand.Name, "",
                        name == "Namespace"
                            ? $"-{name} is empty (or $null): name a namespace, or leave -{name} out for the caller's own namespace"
                            : $"-{name} is empty (or $null): name a namespace (the caller's own is -{name} $PID)"), null));
            }
        }
        if (RequiresPrivilege)
            EnsurePrivileges();
    }

    /// <summary>
    /// Refuses, on a changing cmdlet, a namespace that came EMPTY from the pipeline — a piped $null or '', an object
    /// whose Namespace (or PeerNamespace, NetworkNamespace…) is empty, or a NetNs object of the caller's own namespace
    /// (whose Namespace is empty: it names none) — with one InvalidArgument error for the item, which is then skipped;
    /// otherwise runs <see cref="ProcessItem"/> (after an object given by value to a name parameter filled its namespace:
    /// <see cref="ObjectNameTransformationAttribute"/>). The command line was checked in BeginProcessing, so an empty
    /// namespace bound now came by the pipeline. The caller's own namespace is named with -Namespace $PID.
    /// </summary>
    protected override void ProcessRecord()
    {
        // -Name $link, -Network $net: the object's own namespace fills -Namespace / -NetworkNamespace.
        if (ObjectNameTransformationAttribute.Apply(this, IsChanging) is { } refused)
        {
            WriteNetNsError(refused, null);
            return;
        }
        if (IsChanging)
        {
            foreach (var (name, value) in MyInvocation.BoundParameters)
            {
                if (value is not NamespaceRef { Kind: NamespaceRefKind.Current })
                    continue;
                string cmd = MyInvocation.MyCommand.Name;
                WriteNetNsError(NetNsException.Invalid(cmd, "",
                    $"the -{name} that came from the pipeline is empty ($null, '', or an object of the caller's own namespace): "
                    + $"{cmd} changes the caller's own namespace only when it is named (-{name} $PID)"), null);
                return;
            }
        }
        ProcessItem();
    }

    /// <summary>
    /// One pipeline item's work: what a NetNs cmdlet overrides instead of ProcessRecord, so an empty namespace from the
    /// pipeline is refused before it runs.
    /// </summary>
    protected virtual void ProcessItem()
    {
    }

    /// <summary>
    /// ShouldProcess (-WhatIf, -Confirm), then (once per invocation) the privilege check: a missing capability stops
    /// the cmdlet at its first change with one terminating PermissionDenied error, while -WhatIf still works
    /// unprivileged. Named apart from ShouldProcess so that every overload of PowerShell's stays visible.
    /// </summary>
    protected internal bool ShouldChange(string target, string action) => ShouldChange(target, action, out _);

    /// <summary>
    /// <see cref="ShouldChange(string, string)"/> that also says why it answered no (WhatIf: the caller writes what it
    /// would do). PowerShell has no (target, action, out reason) overload; this builds its standard texts once.
    /// </summary>
    protected internal bool ShouldChange(string target, string action, out ShouldProcessReason reason)
    {
        string text = $"Performing the operation \"{action}\" on target \"{target}\".";
        if (!ShouldProcess(text, "Are you sure you want to perform this action?\n" + text, "Confirm", out reason))
            return false;
        EnsurePrivileges();
        return true;
    }

    /// <summary>Stops the cmdlet (terminating PermissionDenied, naming the capabilities) when the caller lacks them.</summary>
    protected internal void EnsurePrivileges()
    {
        if (_privilegesChecked)
            return;
        var missing = Privileges.Missing();
        if (missing.Count > 0)
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(MissingPrivileges(missing, null), null));
        _privilegesChecked = true;
    }

    private NetNsException MissingPrivileges(IReadOnlyList<string> missing, Exception? inner)
    {
        string hint = Privileges.IsRoot
            ? "this process runs as root but without them (they were dropped from its capability sets)"
            : "run pwsh as root (e.g. with sudo), or give it those capabilities";
        return new NetNsException(NetNsErrorReason.PermissionDenied, MyInvocation.MyCommand.Name,
            $"{MyInvocation.MyCommand.Name} needs the capabilities {string.Join(" and ", missing)}: {hint}."
                + (inner is NetNsException { Message: { } why } ? $" ({why})" : ""),
            inner: inner);
    }

    /// <summary>
    /// The netlink handle for a namespace (null: the caller's own), leased once per cmdlet invocation from
    /// <see cref="NetlinkHandleCache"/>: later calls on the same namespace reuse its socket, and a namespace deleted and
    /// re-created under the same name is seen fresh. Do not dispose it (doing so is harmless: the cache owns it).
    /// </summary>
    protected NetlinkHandle Rtnl(NamespaceRef? ns)
    {
        ns ??= NamespaceRef.Current;
        if (!_leases.TryGetValue(ns, out var lease))
        {
            lease = NetlinkHandleCache.Acquire(ns);
            _leases[ns] = lease;
        }
        return lease.Handle;
    }

    /// <summary>The networks of a namespace, over the handle leased for this invocation (<see cref="Rtnl"/>).</summary>
    protected NetworkManager NetworksOf(NamespaceRef? ns) => NetworkManager.Open(Rtnl(ns));

    /// <summary>NetNs's NAT table of a namespace, entered through the namespace of the leased handle (<see cref="Rtnl"/>).</summary>
    protected NatTable NatTableOf(NamespaceRef? ns) => new(Rtnl(ns).Namespace);

    /// <summary>Writes a core error as a non-terminating ErrorRecord.</summary>
    protected void WriteNetNsError(NetNsException e, object? target) => WriteError(ErrorMapping.ToErrorRecord(e, target));

    /// <summary>Runs one pipeline item's work; a core error becomes one ErrorRecord and the pipeline goes on.</summary>
    protected void Try(object? target, Action action)
    {
        try
        {
            action();
        }
        catch (NetNsException e) when (e.Reason == NetNsErrorReason.PermissionDenied && Privileges.Missing() is { Count: > 0 } missing)
        {
            // Not this item's fault: every other item would fail the same way.
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(MissingPrivileges(missing, e), target));
        }
        catch (NetNsException e)
        {
            WriteNetNsError(e, target);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException(); // Ctrl+C: the pipeline ends, with no error record
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
            WildcardPattern wildcard;
            try
            {
                wildcard = Wildcards.Compile(pattern, options);
            }
            catch (NetNsException e)
            {
                WriteNetNsError(e, pattern); // one InvalidArgument error for this pattern; the others still match
                continue;
            }
            var found = items.Where(item => matches(item, wildcard, pattern)).ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                WriteNetNsError(notFound(pattern), pattern);
            WriteObject(found, enumerateCollection: true);
        }
    }

    /// <summary>
    /// The names a Remove-* cmdlet acts on, with the one rule of the module: a pattern with wildcards expands, as on
    /// Get-*, to the existing names it matches (sorted; none is no error), each then confirmed on its own, so
    /// -WhatIf lists what would really go; a plain name is passed through (a missing one is then the remove's error).
    /// </summary>
    protected IEnumerable<string> ExpandNames(IEnumerable<string> patterns, Func<IEnumerable<string>> existing)
    {
        List<string>? known = null;
        foreach (string pattern in patterns)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                yield return pattern;
                continue;
            }
            WildcardPattern wildcard;
            try
            {
                wildcard = Wildcards.Compile(pattern, WildcardOptions.None);
                known ??= [.. existing()];
            }
            catch (NetNsException e)
            {
                WriteNetNsError(e, pattern);
                continue;
            }
            foreach (string name in known.Where(wildcard.IsMatch).Order(StringComparer.Ordinal))
                yield return name;
        }
    }

    /// <summary>"'veth0' in namespace 'red'", for ShouldProcess targets.</summary>
    protected static string Describe(string what, NamespaceRef? ns) =>
        ns is null || ns.Kind == NamespaceRefKind.Current ? what : $"{what} in namespace '{ns}'";

    /// <summary>Cleanup of a derived cmdlet, run by <see cref="Dispose"/> (also after an early end of the pipeline).</summary>
    protected virtual void OnDispose()
    {
    }

    /// <summary>Gives back the handles leased for this invocation.</summary>
    public void Dispose()
    {
        OnDispose();
        foreach (var lease in _leases.Values)
            lease.Dispose();
        _leases.Clear();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
