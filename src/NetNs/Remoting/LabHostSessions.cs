using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using NetNs.Core;

namespace NetNs.Remoting;

/// <summary>
/// One PowerShell remoting session (SSH) per host of a lab across hosts, each with NetNs imported and checked to be
/// the caller's version. Opened with New-PSSession -HostName (so ssh checks host keys against known_hosts as it
/// always does: no prompt, no silent trust: BatchMode=yes); a host that cannot be reached or runs another NetNs is
/// one error naming the host, before anything is changed anywhere. Credentials never appear in messages: a host is
/// named by its key, user, address and port only. Sessions come from, and go back to, <see cref="LabHostSessionPool"/>:
/// a session kept from an earlier call is checked like a new one, and replaced when it fails.
/// </summary>
internal sealed class LabHostSessions : IDisposable
{
    private readonly Dictionary<string, PSSession> _sessions = new(StringComparer.Ordinal);
    private readonly List<PowerShell> _owners = []; // the runspaces that made the sessions: disposing one closes its session
    private readonly Dictionary<string, PowerShell> _ownerOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _keyOf = new(StringComparer.Ordinal);
    private readonly HashSet<string> _discard = new(StringComparer.Ordinal); // closed at the end, not kept

    // Copies this module's folder into the host's first module path (the user's), as NetNs/VERSION.
    private const string InstallScript = "param($s, $src, $v) $d = Invoke-Command -Session $s { param($v) $d = Join-Path (($env:PSModulePath -split [IO.Path]::PathSeparator)[0]) \"NetNs/$v\"; $null = New-Item -ItemType Directory -Force -Path $d; $d } -ArgumentList $v; " +
        "Copy-Item -Path (Join-Path $src '*') -Destination $d -ToSession $s -Recurse -Force -ErrorAction Stop";
    private const string VersionScript = "(Import-Module NetNs -PassThru -ErrorAction Stop).Version.ToString()";

    private LabHostSessions()
    {
    }

    /// <summary>The hosts with a session, by name.</summary>
    public IReadOnlyCollection<string> Hosts => _sessions.Keys;

    /// <summary>Opens a session to each host (in parallel) and checks its NetNs; on any failure closes them all and throws.</summary>
    public static LabHostSessions Open(IReadOnlyList<LabHostDefinition> hosts, string localVersion) => Open(hosts, localVersion, null);

    /// <summary>
    /// Opens a session to each host it can; the errors of those it cannot reach, or whose NetNs differs, go to
    /// <paramref name="failed"/> (when null: the first is thrown and no session stays open).
    /// </summary>
    public static LabHostSessions Open(IReadOnlyList<LabHostDefinition> hosts, string localVersion, List<NetNsException>? failed) =>
        Open(hosts, localVersion, failed, null);

    /// <summary>
    /// As <see cref="Open(IReadOnlyList{LabHostDefinition}, string, List{NetNsException}?)"/>; a host whose NetNs is
    /// missing or another version gets this module copied from <paramref name="installFrom"/> (its folder) into its
    /// first module path (the user's) as NetNs/VERSION, and a new session that imports it.
    /// </summary>
    public static LabHostSessions Open(IReadOnlyList<LabHostDefinition> hosts, string localVersion, List<NetNsException>? failed, string? installFrom)
    {
        var result = new LabHostSessions();
        try
        {
            foreach (var h in hosts)
                result._keyOf[h.Name] = LabHostSessionPool.Key(h, localVersion);
            // A kept session is checked below with the new ones; one that fails the check is replaced then.
            var reused = new HashSet<string>(StringComparer.Ordinal);
            foreach (var h in hosts)
            {
                if (LabHostSessionPool.TryTake(result._keyOf[h.Name], out var kept, out var keptOwner))
                {
                    result._sessions[h.Name] = kept;
                    result._ownerOf[h.Name] = keptOwner;
                    result._owners.Add(keptOwner);
                    reused.Add(h.Name);
                }
            }
            var opening = hosts.Where(h => !reused.Contains(h.Name)).Select(h => (Host: h, Shell: Connect(h))).ToList();
            var errors = new List<NetNsException>();
            foreach (var (h, shell) in opening)
            {
                try
                {
                    var output = shell.PowerShell.EndInvoke(shell.Handle);
                    var session = output.Select(o => o.BaseObject).OfType<PSSession>().FirstOrDefault();
                    if (session is null)
                        throw Unreachable(h, FirstError(shell.PowerShell) ?? "no session was made");
                    result._sessions[h.Name] = session;
                    result._ownerOf[h.Name] = shell.PowerShell;
                }
                catch (Exception e) when (e is RuntimeException or InvalidOperationException)
                {
                    errors.Add(Unreachable(h, e.Message));
                }
                catch (NetNsException e)
                {
                    errors.Add(e);
                }
                finally
                {
                    result._owners.Add(shell.PowerShell);
                }
            }
            if (errors.Count > 0 && failed is not null)
                failed.AddRange(errors);
            else if (errors.Count > 0)
                throw errors.Count == 1 ? errors[0] : new NetNsException(errors[0].Reason, "connect to host", string.Join("; ", errors.Select(e => e.Message)), string.Join(",", errors.Select(e => e.Target)));
            var checks = result._sessions.Keys.Select(h => (Host: h, Run: result.Begin(h, VersionScript))).ToList();
            foreach (var (h, run) in checks)
            {
                var error = result.CheckVersion(h, run, localVersion, installFrom is not null);
                if (error is not null && reused.Contains(h))
                {
                    // a kept session that no longer serves (its connection dropped): a new one, checked anew
                    try
                    {
                        result.Reconnect(hosts.First(x => x.Name == h));
                        error = result.CheckVersion(h, result.Begin(h, VersionScript), localVersion, installFrom is not null);
                    }
                    catch (NetNsException e)
                    {
                        error = e;
                    }
                }
                if (error is not null && installFrom is not null)
                {
                    try
                    {
                        result.Install(hosts.First(x => x.Name == h), installFrom, localVersion);
                        error = result.CheckVersion(h, result.Begin(h, VersionScript), localVersion, false);
                    }
                    catch (NetNsException e)
                    {
                        error = e;
                    }
                }
                if (error is null)
                    continue;
                if (failed is null)
                    throw error;
                failed.Add(error);
                if (result._sessions.Remove(h, out var unusable))
                    unusable.Runspace.Dispose();
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private NetNsException? CheckVersion(string h, (PowerShell PowerShell, IAsyncResult Handle) run, string localVersion, bool installing)
    {
        string advice = installing ? "" : ": install the same version there (the NetNs package), or deploy with -InstallModule";
        try
        {
            var versions = End(h, run, "import NetNs on host");
            string? remote = versions.Select(v => v?.BaseObject as string).FirstOrDefault();
            return remote == localVersion ? null : new NetNsException(NetNsErrorReason.HostModuleMismatch, "check NetNs on host",
                $"host '{h}' runs NetNs {remote ?? "(none)"}, this machine {localVersion}{advice}", h);
        }
        catch (NetNsException e)
        {
            return new NetNsException(NetNsErrorReason.HostModuleMismatch, "check NetNs on host", $"{e.Message} (NetNs is not installed there{advice})", h);
        }
    }

    // Copies the module over the session (Copy-Item -ToSession, in the runspace that owns it), then replaces the
    // session: the old one may hold another NetNs's assemblies, which a process cannot unload.
    private void Install(LabHostDefinition h, string from, string version)
    {
        using (var ps = PowerShell.Create())
        {
            ps.Runspace = _ownerOf[h.Name].Runspace;
            ps.AddScript(InstallScript).AddArgument(_sessions[h.Name]).AddArgument(from).AddArgument(version);
            try
            {
                ps.Invoke();
            }
            catch (RuntimeException e)
            {
                throw new NetNsException(NetNsErrorReason.HostModuleMismatch, "install NetNs on host", $"host '{h.Name}': NetNs {version} could not be copied there: {e.Message}", h.Name);
            }
            if (FirstError(ps) is { } error)
                throw new NetNsException(NetNsErrorReason.HostModuleMismatch, "install NetNs on host", $"host '{h.Name}': NetNs {version} could not be copied there: {error}", h.Name);
        }
        Reconnect(h);
    }

    // Closes the host's session (in the background: closing a broken one can wait for its transport) and opens a new one.
    private void Reconnect(LabHostDefinition h)
    {
        var (old, oldOwner) = (_sessions[h.Name], _ownerOf[h.Name]);
        _sessions.Remove(h.Name);
        _owners.Remove(oldOwner);
        LabHostSessionPool.CloseSoon(old, oldOwner);
        var shell = Connect(h);
        _owners.Add(shell.PowerShell);
        var session = shell.PowerShell.EndInvoke(shell.Handle).Select(o => o.BaseObject).OfType<PSSession>().FirstOrDefault()
            ?? throw Unreachable(h, FirstError(shell.PowerShell) ?? "no session was made");
        _sessions[h.Name] = session;
        _ownerOf[h.Name] = shell.PowerShell;
    }

    // ssh's and New-PSSession's words, without the key file's path (what a host is named by: its key, user, address, port).
    private static NetNsException Unreachable(LabHostDefinition h, string why)
    {
        string text = why.Trim();
        if (!string.IsNullOrEmpty(h.KeyFilePath))
            text = text.Replace(h.KeyFilePath, "(the KeyFilePath)", StringComparison.Ordinal);
        return new(NetNsErrorReason.HostUnreachable, "connect to host", $"host {h} cannot be reached over PowerShell remoting (SSH): {text}", h.Name);
    }

    private static (PowerShell PowerShell, IAsyncResult Handle) Connect(LabHostDefinition h)
    {
        // Its own runspace: New-PSSession runs beside the others, not on the caller's pipeline.
        var ps = PowerShell.Create();
        ps.AddCommand("New-PSSession").AddParameter("HostName", h.HostName).AddParameter("ErrorAction", "Continue");
        if (h.UserName is not null)
            ps.AddParameter("UserName", h.UserName);
        if (h.KeyFilePath is not null)
            ps.AddParameter("KeyFilePath", h.KeyFilePath);
        if (h.Port is int port)
            ps.AddParameter("Port", port);
        // Never a password or host-key prompt; a kept session whose host went away is noticed within 15 s (ssh's
        // keepalives), so a later call replaces it instead of waiting on it, without ssh telling the console so
        // (LogLevel ERROR: its errors still show). The host's own Options win.
        var options = new Hashtable(StringComparer.OrdinalIgnoreCase) { ["BatchMode"] = "yes", ["ServerAliveInterval"] = "5", ["ServerAliveCountMax"] = "3", ["LogLevel"] = "ERROR" };
        foreach (var (k, v) in h.Options)
            options[k] = v;
        ps.AddParameter("Options", options);
        return (ps, ps.BeginInvoke());
    }

    private static string? FirstError(PowerShell ps) => ps.Streams.Error.Count > 0 ? ps.Streams.Error[0].Exception?.Message ?? ps.Streams.Error[0].ToString() : null;

    /// <summary>Starts <paramref name="script"/> (with <paramref name="args"/>) on host <paramref name="host"/>.</summary>
    public (PowerShell PowerShell, IAsyncResult Handle) Begin(string host, string script, params object?[] args)
    {
        var ps = PowerShell.Create();
        ps.Runspace = _sessions[host].Runspace;
        ps.AddScript(script);
        foreach (object? a in args)
            ps.AddArgument(a);
        return (ps, ps.BeginInvoke());
    }

    /// <summary>
    /// Waits for a run started with <see cref="Begin"/>; its first error becomes a NetNsException naming the host,
    /// with the remote error's reason (its ErrorId) when it is one of NetNs's.
    /// </summary>
    public Collection<PSObject> End(string host, (PowerShell PowerShell, IAsyncResult Handle) run, string operation)
    {
        using var ps = run.PowerShell;
        Collection<PSObject> output;
        try
        {
            output = new Collection<PSObject>(ps.EndInvoke(run.Handle).ToList());
        }
        catch (RuntimeException e)
        {
            throw Remote(host, operation, e.ErrorRecord, e.Message);
        }
        if (ps.Streams.Error.Count > 0)
            throw Remote(host, operation, ps.Streams.Error[0], null);
        return output;
    }

    /// <summary>
    /// Runs <paramref name="script"/> on <paramref name="host"/> and returns its last output as text (an error as
    /// <see cref="End"/> makes it); stopping <paramref name="cancellation"/> stops waiting (the session's close ends the rest).
    /// </summary>
    public Task<string> InvokeAsync(string host, string script, string operation, CancellationToken cancellation, params object?[] args)
    {
        var run = Begin(host, script, args);
        return Task.Factory.FromAsync(run.Handle, _ => End(host, run, operation).Select(o => o?.BaseObject as string).LastOrDefault()
            ?? throw new NetNsException(NetNsErrorReason.OperationFailed, operation, $"host '{host}' gave no answer", host)).WaitAsync(cancellation);
    }

    private static NetNsException Remote(string host, string operation, ErrorRecord? record, string? fallback)
    {
        string id = record?.FullyQualifiedErrorId?.Split(',')[0] ?? "";
        var reason = Enum.TryParse<NetNsErrorReason>(id, out var r) && Enum.IsDefined(r) ? r : NetNsErrorReason.OperationFailed;
        string message = record?.Exception?.Message ?? fallback ?? "failed";
        return new NetNsException(reason, operation, $"host '{host}': {message}", host);
    }

    /// <summary>Whether the host's session runs nothing now (a call stopped while waiting on it leaves it busy).</summary>
    public bool IsIdle(string host) => _sessions.TryGetValue(host, out var s) && s.Runspace.RunspaceAvailability == RunspaceAvailability.Available;

    /// <summary>Closes the host's session at the end instead of keeping it (what it holds must not outlive the call).</summary>
    public void Discard(string host) => _discard.Add(host);

    /// <summary>Gives the sessions back to the pool (it closes those that cannot serve another call), and closes the rest.</summary>
    public void Dispose()
    {
        foreach (var (h, s) in _sessions)
        {
            var owner = _ownerOf[h];
            _owners.Remove(owner);
            if (_discard.Contains(h))
                LabHostSessionPool.CloseSoon(s, owner);
            else
                LabHostSessionPool.Return(_keyOf[h], s, owner);
        }
        _sessions.Clear();
        foreach (var ps in _owners)
        {
            ps.Runspace?.Dispose();
            ps.Dispose();
        }
        _owners.Clear();
    }
}
