using System.Diagnostics;

namespace NetNs.Core.Tests;

/// <summary>
/// Test namespaces and links with unique names (nt-XXXXXXXX), deleted on Dispose even when the test failed.
/// Deleting a namespace destroys the links in it; root-namespace links are deleted by name.
/// </summary>
public sealed class Lab : IDisposable
{
    private readonly List<string> _namespaces = [];
    private readonly List<string> _rootLinks = [];

    /// <summary>A unique name: "nt-" and 8 hex digits (11 chars, fits IFNAMSIZ).</summary>
    public static string UniqueName(string prefix = "nt-") => prefix + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Creates a named namespace that Dispose removes.</summary>
    public string Namespace()
    {
        string name = UniqueName();
        NamedNamespaces.Create(name);
        _namespaces.Add(name);
        return name;
    }

    /// <summary>Registers a namespace created by other means for cleanup.</summary>
    public string Track(string nsName)
    {
        _namespaces.Add(nsName);
        return nsName;
    }

    /// <summary>Registers a link in the caller's namespace for cleanup.</summary>
    public string TrackRootLink(string linkName)
    {
        _rootLinks.Add(linkName);
        return linkName;
    }

    public void Dispose()
    {
        foreach (string link in _rootLinks)
        {
            try
            {
                using var h = NetlinkHandle.Open();
                h.DeleteLink(link);
            }
            catch (NetNsException)
            {
            }
        }
        foreach (string ns in _namespaces)
        {
            try
            {
                NamedNamespaces.Delete(ns);
            }
            catch (NetNsException)
            {
                Run("ip", "netns", "delete", ns); // last resort, so a broken Delete cannot leak
            }
        }
    }

    /// <summary>Runs a program (no shell) and returns its exit code and output.</summary>
    public static (int Code, string Out, string Err) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000))
        {
            p.Kill(true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 30 s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Pings once from inside a namespace (ip netns exec NS ping -c 1 -W 2 ADDR); true when answered.</summary>
    /// <summary>
    /// One ping from inside <paramref name="ns"/>: true when answered, false when not (ping's exit code 1). Anything
    /// else (ping or the namespace missing, exit code 2 or 255) throws, so a "not reachable" assert cannot pass by accident.
    /// </summary>
    public static bool Ping(string ns, string address)
    {
        var (code, stdout, stderr) = Run("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "2", address);
        return code switch
        {
            0 => true,
            1 => false,
            _ => throw new InvalidOperationException($"ip netns exec {ns} ping {address} failed (exit code {code}): {stdout}{stderr}"),
        };
    }
}
