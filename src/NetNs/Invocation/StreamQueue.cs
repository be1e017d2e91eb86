using System.Collections.Concurrent;
using System.Management.Automation;

namespace NetNs;

/// <summary>
/// What a script block or program running on a namespace thread produces, in the order it was produced, for the
/// cmdlet's own pipeline thread to write (only that thread may call Write*): objects, errors, warnings,
/// verbose, debug, information (Write-Host included) and progress.
/// </summary>
internal sealed class StreamQueue
{
    private readonly BlockingCollection<Action<Cmdlet>> _items = [];

    public void Post(Action<Cmdlet> write)
    {
        try
        {
            _items.Add(write);
        }
        catch (InvalidOperationException)
        {
            // completed: the caller has stopped listening
        }
    }

    /// <summary>No more items will come (the run on the namespace thread has ended).</summary>
    public void Complete() => _items.CompleteAdding();

    /// <summary>Writes what has arrived so far, without waiting.</summary>
    public void WriteAvailable(Cmdlet cmdlet)
    {
        while (_items.TryTake(out var write))
            write(cmdlet);
    }

    /// <summary>Writes everything until <see cref="Complete"/>.</summary>
    public void WriteToEnd(Cmdlet cmdlet)
    {
        foreach (var write in _items.GetConsumingEnumerable())
            write(cmdlet);
    }

    /// <summary>Forwards every stream of <paramref name="ps"/>, and the output collection, as they are written.</summary>
    public void Attach(PowerShell ps, PSDataCollection<PSObject> output)
    {
        Forward(output, o => c => c.WriteObject(o));
        Forward(ps.Streams.Error, r => c => c.WriteError(r));
        Forward(ps.Streams.Warning, r => c => c.WriteWarning(r.Message));
        Forward(ps.Streams.Verbose, r => c => c.WriteVerbose(r.Message));
        Forward(ps.Streams.Debug, r => c => c.WriteDebug(r.Message));
        Forward(ps.Streams.Information, r => c => c.WriteInformation(r));
        Forward(ps.Streams.Progress, r => c => c.WriteProgress(r));
    }

    private void Forward<T>(PSDataCollection<T> stream, Func<T, Action<Cmdlet>> write) =>
        stream.DataAdded += (_, _) =>
        {
            // ReadAll takes the items out: a long-running block does not pile them up here.
            foreach (var item in stream.ReadAll())
                Post(write(item));
        };
}
