using System.Diagnostics.Tracing;
using System.Globalization;
using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>
/// The tripwire behind the boundary: an in-process listener to .NET's socket telemetry (the "System.Net.Sockets" event
/// source), whose ConnectStart event is raised on the connecting thread just before connect(2). When that thread is
/// doing the work of an <see cref="AmbientNamespace"/> scope but is not inside its namespace — compiled code that
/// handed a connection to the thread pool, say — the destination is noted on the scope, so Invoke-InNetNamespace
/// reports it (NamespaceEscape) instead of letting it pass unseen. It cannot stop the connection: EventSource swallows
/// a listener's exceptions. Connections to NetNs's own <see cref="SocksBridge"/>s, and unix sockets, are not escapes;
/// NetNs's own forwarders run without the scope. The event names no socket, so the thread is what is judged: a
/// socket made inside the namespace but connected from a thread-pool thread is reported too.
/// </summary>
internal sealed class EscapeWatch : EventListener
{
    private static readonly object Gate = new();
    private static EscapeWatch? s_watch;

    /// <summary>Starts the process's watch, once.</summary>
    public static void Start()
    {
        lock (Gate)
            s_watch ??= new EscapeWatch();
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "System.Net.Sockets")
            EnableEvents(eventSource, EventLevel.Informational);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName != "ConnectStart" || AmbientNamespace.CurrentScope is not { } scope)
            return;
        if (FileIdentity.TryOfPath(NamespaceHandle.CurrentPath, out var here, out _) && here == scope.Namespace.Identity)
            return; // made inside: contained
        if (eventData.Payload is not [string address, ..] || Destination(address) is not { } destination)
            return;
        scope.NoteEscape(destination);
    }

    // "InterNetwork:16:{0,80,198,18,0,2,...}": the port (big-endian), then the address; null for what is no escape.
    private static string? Destination(string address)
    {
        int open = address.IndexOf('{', StringComparison.Ordinal), close = address.LastIndexOf('}');
        if (open < 0 || close < open)
            return null;
        byte[] b;
        try
        {
            b = [.. address[(open + 1)..close].Split(',').Select(x => byte.Parse(x, CultureInfo.InvariantCulture))];
        }
        catch (FormatException)
        {
            return null;
        }
        bool v4 = address.StartsWith("InterNetwork:", StringComparison.Ordinal);
        bool v6 = address.StartsWith("InterNetworkV6:", StringComparison.Ordinal);
        if ((!v4 || b.Length < 6) && (!v6 || b.Length < 22))
            return null; // unix sockets (the web cmdlets' forwarder) and anything else
        int port = (b[0] << 8) | b[1];
        var ip = v4 ? new System.Net.IPAddress(b.AsSpan(2, 4)) : new System.Net.IPAddress(b.AsSpan(6, 16));
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4(); // a dual-mode socket (TcpClient) connecting to an IPv4 address
        if (System.Net.IPAddress.IsLoopback(ip) && SocksBridge.IsBridgePort(port))
            return null; // HttpClient reaching NetNs's bridge, which connects from inside
        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? $"{ip}:{port}" : $"[{ip}]:{port}";
    }
}
