using System.Diagnostics;
using System.Globalization;

namespace NetNs.Bench;

/// <summary>
/// e) The topology through the NetNs cmdlets from one warm pwsh: bench/cmdlet_topology.ps1 in a pwsh child
/// (`dotnet tool run pwsh`, the repository's pinned pwsh, importing out/NetNs/NetNs.psd1 — run ./build.sh build
/// first), started once and kept for the whole run, so every build after the warm-up is what a user typing the
/// pipeline at a warm prompt gets. Build and teardown are timed by pwsh's own clock around the commands (process
/// start and import not included; the import time is printed once).
/// </summary>
internal sealed class CmdletVariant : Variant, IDisposable
{
    private const int MaxWarmRounds = 8;

    /// <summary>Namespaces in each warm-up build (the run's N, at most 200).</summary>
    public int WarmN { get; init; } = 200;

    private Process? _pwsh;
    private readonly System.Text.StringBuilder _stderr = new();

    public override string Key => "e";

    public override string Label => "NetNs cmdlets, warm pwsh";

    public override string? Unavailable =>
        RepositoryRoot is null ? "no repository root (.config/dotnet-tools.json) above the bench"
        : !File.Exists(ModulePath) ? $"{ModulePath} is missing: run ./build.sh build first"
        : null;

    private static string? RepositoryRoot { get; } = FindRoot();

    private static string ModulePath => Path.Combine(RepositoryRoot ?? "", "out", "NetNs", "NetNs.psd1");

    private static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "cmdlet_topology.ps1");

    /// <summary>Import-Module time in the child, ms (once the child has started).</summary>
    public double? ImportMs { get; private set; }

    public override Measurement Run(Topology t, Action<Topology> verify, CancellationToken ct)
    {
        var pwsh = Start(t);
        using var kill = ct.Register(() => { try { pwsh.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } });
        var build = Command(pwsh, $"BUILD {t.Tag} {t.N.ToString(CultureInfo.InvariantCulture)}", "BUILT ");
        verify(t);
        var teardown = Command(pwsh, $"TEARDOWN {t.Tag}", "GONE ");
        return new Measurement(build, teardown) { Processes = 0 };
    }

    private Process Start(Topology t)
    {
        if (_pwsh is { HasExited: false })
            return _pwsh;
        var psi = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot!,
        };
        foreach (string a in new[] { "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", ScriptPath, "-ModulePath", ModulePath })
            psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new BenchException("cannot start pwsh");
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        _pwsh = p;
        ImportMs = Read(p, "READY ").TotalMilliseconds;
        // A warm pwsh has run these commands before. PowerShell's engine is not precompiled in the dotnet-tool pwsh
        // and tiering takes thousands of calls, so untimed builds of WarmN namespaces are made until two in a row
        // are within 10 % of each other (at most 8), named under this build's tag so that the bench's cleanup covers
        // them. Their times are printed: the first is what a fresh pwsh gets.
        int warmN = WarmN;
        var warm = new List<double>();
        for (int round = 0; round < MaxWarmRounds; round++)
        {
            warm.Add(Command(p, $"BUILD {t.Tag}w{round}- {warmN}", "BUILT ").TotalMilliseconds);
            Command(p, $"TEARDOWN {t.Tag}w{round}-", "GONE ");
            if (warm.Count >= 2 && Math.Abs(warm[^1] - warm[^2]) <= 0.1 * warm[^2])
                break;
        }
        Console.Write($" (pwsh child {p.Id}: Import-Module {ImportMs:0} ms; warm-up builds of {warmN}: "
            + string.Join(", ", warm.Select(ms => ms.ToString("0", CultureInfo.InvariantCulture))) + " ms)");
        return p;
    }

    private TimeSpan Command(Process p, string line, string tag)
    {
        p.StandardInput.WriteLine(line);
        p.StandardInput.Flush();
        return Read(p, tag);
    }

    private TimeSpan Read(Process p, string tag)
    {
        while (true)
        {
            string? line = p.StandardOutput.ReadLine();
            if (line is null)
            {
                p.WaitForExit(10_000);
                lock (_stderr)
                    throw new BenchException($"pwsh ended before '{tag.Trim()}' (exit {(p.HasExited ? p.ExitCode : -1)}): {_stderr}");
            }
            if (line.StartsWith("ERROR ", StringComparison.Ordinal))
                throw new BenchException("pwsh: " + line[6..]);
            if (line.StartsWith(tag, StringComparison.Ordinal))
                return TimeSpan.FromMilliseconds(double.Parse(line[tag.Length..], CultureInfo.InvariantCulture));
        }
    }

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json")))
                return dir.FullName;
        }
        return null;
    }

    /// <summary>Ends the pwsh child.</summary>
    public void Dispose()
    {
        if (_pwsh is null)
            return;
        try
        {
            if (!_pwsh.HasExited)
            {
                _pwsh.StandardInput.WriteLine("QUIT");
                _pwsh.StandardInput.Flush();
                if (!_pwsh.WaitForExit(5_000))
                    _pwsh.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
        }
        _pwsh.Dispose();
        _pwsh = null;
    }
}
