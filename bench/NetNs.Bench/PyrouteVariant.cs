using System.Diagnostics;
using System.Text.Json;

namespace NetNs.Bench;

/// <summary>
/// d) pyroute2 (bench/pyroute2_topology.py) as a subprocess. Timed from outside, interpreter start and the
/// pyroute2 import included: build = start until the script prints BUILT, teardown = from the bench's go-ahead
/// until the process has exited. The script's own clock is reported beside (Extra: "inner build",
/// "inner teardown", "import").
/// </summary>
internal sealed class PyrouteVariant : Variant
{
    private static readonly Lazy<(string? Python, string? Version, string? Why)> Interpreter = new(FindPython);

    public override string Key => "d";

    public override string Label => "pyroute2 subprocess";

    public override string? Unavailable => Interpreter.Value.Why;

    public static string? PythonPath => Interpreter.Value.Python;

    /// <summary>"pyroute2 0.7.2, Python 3.11.2", or null.</summary>
    public static string? Versions => Interpreter.Value.Version;

    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "pyroute2_topology.py");

    public override Measurement Run(Topology t, Action<Topology> verify, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(Interpreter.Value.Python!)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in new[] { ScriptPath, "--tag", t.Tag, "--n", t.N.ToString(System.Globalization.CultureInfo.InvariantCulture), "--wait" })
            psi.ArgumentList.Add(a);

        var stderr = new System.Text.StringBuilder();
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new BenchException("cannot start python");
        using var kill = ct.Register(() => { try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } });
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        p.BeginErrorReadLine();

        var built = ReadTagged(p, "BUILT ", stderr);
        var build = sw.Elapsed;

        verify(t);

        sw.Restart();
        p.StandardInput.WriteLine("go");
        p.StandardInput.Flush();
        var done = ReadTagged(p, "DONE ", stderr);
        if (!p.WaitForExit(60_000))
            throw new BenchException("pyroute2 script did not exit");
        var teardown = sw.Elapsed;
        ct.ThrowIfCancellationRequested();
        if (p.ExitCode != 0)
            throw new BenchException($"pyroute2 script exited with {p.ExitCode}: {stderr}");

        var m = new Measurement(build, teardown) { Processes = 1 };
        m.Extra["import"] = Seconds(built, "import_s");
        m.Extra["inner build"] = Seconds(done, "build_s");
        m.Extra["inner teardown"] = Seconds(done, "teardown_s");
        return m;
    }

    private static JsonElement ReadTagged(Process p, string tag, System.Text.StringBuilder stderr)
    {
        for (int lines = 0; lines < 10_000; lines++)
        {
            string? line = p.StandardOutput.ReadLine();
            if (line is null)
            {
                p.WaitForExit(10_000);
                lock (stderr)
                    throw new BenchException($"pyroute2 script ended before '{tag.Trim()}' (exit {(p.HasExited ? p.ExitCode : -1)}): {stderr}");
            }
            if (line.StartsWith(tag, StringComparison.Ordinal))
                return JsonDocument.Parse(line[tag.Length..]).RootElement.Clone();
        }
        throw new BenchException("pyroute2 script printed too much");
    }

    private static TimeSpan Seconds(JsonElement e, string name) => TimeSpan.FromSeconds(e.GetProperty(name).GetDouble());

    /// <summary>
    /// The first python3 that can import pyroute2: Debian's /usr/bin/python3 first (python3-pyroute2 is
    /// installed for it; a pyenv python3 earlier in PATH does not see it), then python3 from PATH.
    /// </summary>
    private static (string?, string?, string?) FindPython()
    {
        var candidates = new List<string> { "/usr/bin/python3" };
        try
        {
            candidates.Add(Ip.Resolve("python3"));
        }
        catch (FileNotFoundException)
        {
        }
        foreach (string python in candidates.Distinct())
        {
            if (!File.Exists(python))
                continue;
            var psi = new ProcessStartInfo(python) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            const string Probe = "import pyroute2, sys, importlib.metadata as m; print('pyroute2', m.version('pyroute2') + ', Python', sys.version.split()[0])";
            foreach (string a in new[] { "-c", Probe })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string version = p.StandardOutput.ReadToEnd().Trim();
            p.StandardError.ReadToEnd();
            if (p.WaitForExit(30_000) && p.ExitCode == 0)
                return (python, $"{version} ({python})", null);
        }
        return (null, null, $"no python3 can import pyroute2 (tried {string.Join(", ", candidates.Distinct())})");
    }
}
