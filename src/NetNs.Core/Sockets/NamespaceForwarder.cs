using System.Net;
using System.Net.Sockets;

namespace NetNs.Core;

/// <summary>
/// A private bridge from the process's original namespace into another: a unix socket with an abstract name,
/// listening in the original network namespace (where .NET's thread pool makes its connections), whose every
/// connection is carried to a TCP endpoint by a socket made inside the target namespace. Only this process may
/// connect (SO_PEERCRED). Invoke-InNetNamespace hands it to Invoke-WebRequest and Invoke-RestMethod as their
/// -UnixSocket, so a web request made inside a namespace reaches that namespace's server, loopback included.
/// </summary>
public sealed class NamespaceForwarder : IDisposable
{
    private const int SolSocket = 1, SoPeerCred = 17;

    private readonly Socket _listener;
    private readonly NamespaceHandle _ns;
    private readonly IReadOnlyList<IPAddress> _addresses;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();

    private NamespaceForwarder(Socket listener, UnixDomainSocketEndPoint endPoint, NamespaceHandle ns, IReadOnlyList<IPAddress> addresses, int port)
    {
        _listener = listener;
        EndPoint = endPoint;
        _ns = ns;
        _addresses = addresses;
        _port = port;
        // Its connections are made inside the namespace whatever thread makes them: the work of the block that asked for
        // it (an AmbientNamespace scope) does not flow into them.
        using (ExecutionContext.SuppressFlow())
            _ = Task.Run(AcceptLoop);
    }

    /// <summary>The unix socket to connect to (an abstract name, in the original network namespace).</summary>
    public UnixDomainSocketEndPoint EndPoint { get; }

    /// <summary>
    /// A forwarder to <paramref name="port"/> of <paramref name="addresses"/> inside <paramref name="ns"/>; it owns
    /// <paramref name="ns"/> and disposes it with itself.
    /// </summary>
    public static NamespaceForwarder Start(NamespaceHandle ns, IReadOnlyList<IPAddress> addresses, int port)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Count == 0)
            throw NetNsException.Invalid("forward", "", "no address to forward to");
        var endPoint = new UnixDomainSocketEndPoint("\0netns-fwd-" + Guid.NewGuid().ToString("N"));
        var listener = NamespaceWorker.RunAtHome(() =>
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            s.Bind(endPoint);
            s.Listen(64);
            return s;
        });
        return new NamespaceForwarder(listener, endPoint, ns, addresses, port);
    }

    /// <summary>
    /// A forwarder to the host and port of <paramref name="uri"/>, from inside the calling thread's namespace: the
    /// host name is resolved on the calling thread (so a namespace thread uses its /etc/netns/NAME files).
    /// Null when the calling thread is in the original namespace (nothing to bridge) or the URI has no host.
    /// </summary>
    public static NamespaceForwarder? ForUri(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || string.IsNullOrEmpty(uri.Host))
            return null;
        var ns = NamespaceHandle.OpenCurrent();
        if (ns.Identity == OriginalNamespaces.OriginalNet)
        {
            ns.Dispose();
            return null;
        }
        try
        {
            IPAddress[] addresses = IPAddress.TryParse(uri.IdnHost, out var ip) ? [ip] : Dns.GetHostAddresses(uri.IdnHost);
            return Start(ns, addresses, uri.Port);
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    private async Task AcceptLoop()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
                _ = Serve(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // disposed
        }
    }

    private async Task Serve(Socket client)
    {
        using (client)
        {
            if (!FromThisProcess(client))
                return;
            Socket upstream;
            try
            {
                upstream = await NamespaceSockets.ConnectAsync(_ns, _addresses, _port, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or NetNsException)
            {
                return; // the client sees the connection close, as it would a refused one
            }
            using (upstream)
            {
                await SocketSplice.RunAsync(client, upstream, _stop.Token).ConfigureAwait(false);
            }
        }
    }

    private static bool FromThisProcess(Socket client)
    {
        Span<byte> cred = stackalloc byte[12]; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        try
        {
            int n = client.GetRawSocketOption(SolSocket, SoPeerCred, cred);
            return n >= 4 && System.Runtime.InteropServices.MemoryMarshal.Read<int>(cred) == Environment.ProcessId;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Stops listening and drops every connection.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _ns.Dispose();
    }
}
