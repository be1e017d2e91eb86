using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Management.Automation;

namespace NetNs;

/// <summary>
/// A native program started directly on a namespace thread (no runspace), as `ip netns exec NS PROGRAM ARGS`
/// does: .NET forks from the calling thread, so the child is in the thread's network namespace and private
/// mount namespace (/sys remounted, /etc/netns/NAME bound). Its stdout lines are written as strings and its
/// stderr lines as NativeCommandError records, as they arrive; pipeline input is fed to its stdin, a line each.
/// </summary>
internal static class NativeProgram
{
    /// <summary>Runs the program to its end and returns its exit code; null when it could not be started.</summary>
    public static int? Run(string file, IReadOnlyList<string> arguments, string workingDirectory,
        BlockingCollection<string>? stdin, StreamQueue queue, Action<Process?> started)
    {
        var psi = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            WorkingDirectory = Directory.Exists(workingDirectory) ? workingDirectory : "/",
        };
        foreach (string a in arguments)
            psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (Win32Exception e)
        {
            var error = new ErrorRecord(new CommandNotFoundException($"cannot run '{file}': {e.Message}", e),
                "ProgramNotFound", ErrorCategory.ObjectNotFound, file);
            queue.Post(c => c.WriteError(error));
            return null;
        }
        using (process)
        {
            started(process);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                    queue.Post(c => c.WriteObject(line));
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    var record = new ErrorRecord(new RemoteException(line), "NativeCommandError", ErrorCategory.NotSpecified, line);
                    queue.Post(c => c.WriteError(record));
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (stdin is not null)
                Feed(process, stdin);
            process.WaitForExit(); // also waits for the end of both output streams
            started(null);
            return process.ExitCode;
        }
    }

    // Feeds stdin on a background thread so the namespace thread can wait for the exit meanwhile.
    private static void Feed(Process process, BlockingCollection<string> stdin)
    {
        var writer = process.StandardInput;
        var feeder = new Thread(() =>
        {
            try
            {
                foreach (string line in stdin.GetConsumingEnumerable())
                    writer.WriteLine(line);
            }
            catch (IOException)
            {
                // the program closed its stdin or ended
            }
            finally
            {
                try
                {
                    writer.Close();
                }
                catch (IOException)
                {
                }
            }
        })
        { IsBackground = true, Name = "netns:stdin" };
        feeder.Start();
    }
}
