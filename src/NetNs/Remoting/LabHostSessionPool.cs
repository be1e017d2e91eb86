using System.Management.Automation;
using System.Management.Automation.Runspaces;
using NetNs.Core;

namespace NetNs.Remoting;

/// <summary>
/// The idle host sessions of this process, so that lab cmdlets run one after another on the same hosts (Deploy, Test,
/// Get, Remove: a script, or a Pester file) reuse one SSH connection per host instead of opening one each time (about
/// 1 s a host). A session is lent to one call at a time; before reuse the call checks it (it imports NetNs and gives
/// the version), and one that fails is closed and replaced by a new one. A session idle for
/// <see cref="IdleTime"/> is closed. Only a session left open and idle is kept: one whose call was stopped is closed.
/// </summary>
internal static class LabHostSessionPool
{
    /// <summary>How long an idle session is kept.</summary>
    public static readonly TimeSpan IdleTime = TimeSpan.FromSeconds(60);

    private static readonly object s_lock = new();
    private static readonly Dictionary<string, List<Idle>> s_idle = new(StringComparer.Ordinal);
    private static Timer? s_timer;

    private sealed record Idle(PSSession Session, PowerShell Owner, DateTime Since);

    /// <summary>
    /// What a session to <paramref name="h"/> is for: every word ssh is given (address, user, key, port, options)
    /// and the NetNs version it must run. Two definitions of one host that differ in any of them get other sessions.
    /// </summary>
    public static string Key(LabHostDefinition h, string version) =>
        string.Join("\u0000", new[] { version, h.HostName, h.UserName ?? "", h.KeyFilePath ?? "", h.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "" }
            .Concat(h.Options.SelectMany(o => new[] { o.Key, o.Value })));

    /// <summary>An idle session for <paramref name="key"/>, taken out of the pool; false when there is none.</summary>
    public static bool TryTake(string key, out PSSession session, out PowerShell owner)
    {
        lock (s_lock)
        {
            if (s_idle.TryGetValue(key, out var list) && list.Count > 0)
            {
                var idle = list[^1];
                list.RemoveAt(list.Count - 1);
                (session, owner) = (idle.Session, idle.Owner);
                return true;
            }
        }
        (session, owner) = (null!, null!);
        return false;
    }

    /// <summary>Keeps <paramref name="session"/> (made by <paramref name="owner"/>'s runspace) for the next call, or closes it when it cannot serve one.</summary>
    public static void Return(string key, PSSession session, PowerShell owner)
    {
        if (session.Runspace.RunspaceStateInfo.State != RunspaceState.Opened || session.Runspace.RunspaceAvailability != RunspaceAvailability.Available)
        {
            CloseSoon(session, owner);
            return;
        }
        lock (s_lock)
        {
            if (!s_idle.TryGetValue(key, out var list))
                s_idle[key] = list = [];
            list.Add(new Idle(session, owner, DateTime.UtcNow));
            s_timer ??= new Timer(_ => Sweep(), null, IdleTime, IdleTime);
        }
    }

    /// <summary>
    /// Closes a session in the background: closing one that is busy (a stopped call's remote step still runs) or whose
    /// transport broke waits for it, and the call that lets it go must not.
    /// </summary>
    public static void CloseSoon(PSSession session, PowerShell owner) => _ = Task.Run(() => Close(session, owner));

    /// <summary>Closes a session and the runspace that made it.</summary>
    public static void Close(PSSession session, PowerShell owner)
    {
        try
        {
            session.Runspace.Dispose(); // closes the connection: the remote pwsh and its sshd end
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException or ObjectDisposedException)
        {
            // already gone
        }
        owner.Runspace?.Dispose();
        owner.Dispose();
    }

    // Closes the sessions idle for IdleTime or more; the timer ends with the last one.
    private static void Sweep()
    {
        var expired = new List<Idle>();
        lock (s_lock)
        {
            var limit = DateTime.UtcNow - IdleTime;
            foreach (var list in s_idle.Values)
            {
                expired.AddRange(list.Where(i => i.Since <= limit));
                list.RemoveAll(i => i.Since <= limit);
            }
            foreach (string key in s_idle.Where(kv => kv.Value.Count == 0).Select(kv => kv.Key).ToList())
                s_idle.Remove(key);
            if (s_idle.Count == 0)
            {
                s_timer?.Dispose();
                s_timer = null;
            }
        }
        foreach (var i in expired)
            Close(i.Session, i.Owner);
    }
}
