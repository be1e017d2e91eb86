using System.Diagnostics;

namespace NetNs.Bench;

/// <summary>Runs iproute2's `ip` without a shell (argument list, no quoting).</summary>
internal static class Ip
{
    /// <summary>The resolved path of `ip`, looked up once so every start costs the same.</summary>
    public static string Path { get; } = Resolve("ip");

    public static string Resolve(string program)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]))
        {
            if (dir.Length == 0)
                continue;
            string candidate = System.IO.Path.Combine(dir, program);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"'{program}' not found in PATH");
    }

    /// <summary>Runs `ip ARGS` and throws with its stderr when it fails.</summary>
    public static void Run(IReadOnlyList<string> args)
    {
        var r = TryRun(args, TimeSpan.FromSeconds(60));
        if (r.ExitCode != 0)
            throw new BenchException($"`ip {string.Join(' ', args)}` exited with {r.ExitCode}: {r.Error.Trim()}");
    }

    /// <summary>Runs `ip ARGS`; stdout is left alone (these commands print nothing when they succeed).</summary>
    public static (int ExitCode, string Error) TryRun(IReadOnlyList<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(Path)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new BenchException("cannot start ip");
        string err = p.StandardError.ReadToEnd(); // ends when ip exits (it writes little)
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new BenchException($"`ip {string.Join(' ', args)}` did not finish within {timeout.TotalSeconds} s");
        }
        return (p.ExitCode, err);
    }

    /// <summary>The first line of `ip -V`, e.g. "ip utility, iproute2-6.1.0, libbpf 1.1.2".</summary>
    public static string Version()
    {
        var psi = new ProcessStartInfo(Path) { UseShellExecute = false, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-V");
        using var p = Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd();
        p.WaitForExit(10_000);
        return text.Split('\n')[0].Trim();
    }
}

/// <summary>A benchmark step failed (not a NetNs.Core error).</summary>
internal sealed class BenchException(string message) : Exception(message);
