using NetNs.Core;

namespace NetNs.Bench;

/// <summary>
/// Deletes every named namespace that starts with a prefix: with NetNs.Core first, `ip netns del` as the last
/// resort. Only names under /run/netns with the run's own prefix are touched, never the root namespace.
/// </summary>
internal static class Cleanup
{
    private static readonly object Gate = new();

    /// <summary>Deletes the namespaces named PREFIX*; returns how many were found.</summary>
    public static int All(string prefix, TextWriter? log = null)
    {
        if (string.IsNullOrEmpty(prefix) || prefix.Length < 4)
            throw new ArgumentException("refusing to clean up with a short prefix", nameof(prefix));
        lock (Gate)
        {
            int found = 0;
            IReadOnlyList<string> names;
            try
            {
                names = NamedNamespaces.ListNames();
            }
            catch (Exception e)
            {
                log?.WriteLine($"cleanup: cannot list {NamedNamespaces.RunDirectory}: {e.Message}");
                return 0;
            }
            foreach (string name in names)
            {
                if (!name.StartsWith(prefix, StringComparison.Ordinal))
                    continue;
                found++;
                try
                {
                    NamedNamespaces.Delete(name);
                    continue;
                }
                catch (Exception e)
                {
                    log?.WriteLine($"cleanup: NetNs.Core could not delete '{name}' ({e.Message}); trying `ip netns del`");
                }
                try
                {
                    var r = Ip.TryRun(["netns", "del", name], TimeSpan.FromSeconds(30));
                    if (r.ExitCode != 0)
                        log?.WriteLine($"cleanup: `ip netns del {name}` failed: {r.Error.Trim()}");
                }
                catch (Exception e)
                {
                    log?.WriteLine($"cleanup: `ip netns del {name}` failed: {e.Message}");
                }
            }
            return found;
        }
    }
}
