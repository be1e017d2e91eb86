using System.Collections.Concurrent;

namespace NetNs.Core;

/// <summary>
/// The captures running in this process, by id: Stop-NetNsCapture -Id finds them here, and all of them are stopped
/// (their files completed) when the module is removed or the process exits. Their threads are background threads: a
/// forgotten capture never keeps the process alive.
/// </summary>
public static class CaptureRegistry
{
    private static readonly ConcurrentDictionary<int, NetNsCapture> Running = new();
    private static int s_lastId;

    static CaptureRegistry() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();

    internal static int NextId() => Interlocked.Increment(ref s_lastId);

    internal static void Add(NetNsCapture capture) => Running[capture.Id] = capture;

    internal static void Remove(NetNsCapture capture) => Running.TryRemove(capture.Id, out _);

    /// <summary>The running captures, by id.</summary>
    public static IReadOnlyList<NetNsCapture> List() => Running.Values.OrderBy(c => c.Id).ToList();

    /// <summary>The running capture with id <paramref name="id"/>; CaptureNotFound when there is none.</summary>
    public static NetNsCapture Get(int id) => Running.TryGetValue(id, out var c) ? c
        : throw new NetNsException(NetNsErrorReason.CaptureNotFound, "stop capture", $"no running capture has id {id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Stops every running capture.</summary>
    public static void StopAll()
    {
        foreach (var c in Running.Values)
            c.Stop();
    }
}
