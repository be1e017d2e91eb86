namespace NetNs.Tests;

/// <summary>
/// Unique names for what a test makes ("nt-" + 8 hex: the leak check knows them, and they fit an interface
/// name), and cleanup that runs also when the test failed. Namespaces are made and removed with `ip`, so the
/// fixtures do not depend on the cmdlets under test.
/// </summary>
public sealed class TestNamespaces : IDisposable
{
    private readonly List<string> _names = [];

    public static string NewName() => "nt-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A fresh namespace made with `ip netns add`, removed on Dispose.</summary>
    public string Create()
    {
        string name = Track(NewName());
        Ip("netns", "add", name);
        return name;
    }

    /// <summary>A name that Dispose removes if something made it (the cmdlet under test, say).</summary>
    public string Track(string name)
    {
        _names.Add(name);
        return name;
    }

    public static string Ip(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(30_000), $"ip {string.Join(' ', args)} did not finish");
        Assert.True(p.ExitCode == 0, $"ip {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
        return stdout;
    }

    public static bool Exists(string name) => File.Exists(Path.Combine("/run/netns", name));

    public void Dispose()
    {
        foreach (string name in _names.Where(Exists))
        {
            try
            {
                Ip("netns", "delete", name);
            }
            catch (Exception)
            {
                // Best effort: the suite's leak check reports what is left.
            }
        }
    }
}
