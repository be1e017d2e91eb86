using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace NetNs.Core;

/// <summary>
/// Sockets that belong to a namespace whichever thread uses them: each is created on NetNs's worker thread
/// inside the namespace, then handed back. .NET's thread pool (HttpClient's connections, async DNS, Parallel)
/// runs in the process's original namespace, so code inside a namespace that wants a connection made there
/// takes its socket, or its HttpClient handler, from here.
/// </summary>
public static class NamespaceSockets
{
    /// <summary>A socket inside <paramref name="ns"/>.</summary>
    public static Socket Open(NamespaceHandle ns, AddressFamily family, SocketType type, ProtocolType protocol) =>
        NamespaceWorker.Run(ns ?? throw new ArgumentNullException(nameof(ns)), () => new Socket(family, type, protocol));

    /// <summary>
    /// A socket in the process's original namespace (where pwsh started), whichever namespace the calling thread is
    /// in: what a listener reached from outside every namespace needs (the SOCKS bridge's).
    /// </summary>
    public static Socket OpenInOriginal(AddressFamily family, SocketType type, ProtocolType protocol) =>
        NamespaceWorker.RunAtHome(() => new Socket(family, type, protocol));

    /// <summary>
    /// Connects a TCP socket made inside <paramref name="ns"/> to the first of <paramref name="addresses"/> that
    /// accepts. Equivalent to what `ip netns exec NS nc ADDRESS PORT` connects.
    /// </summary>
    public static async Task<Socket> ConnectAsync(NamespaceHandle ns, IReadOnlyList<IPAddress> addresses, int port, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = Open(ns, address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // Made inside the namespace: contained whichever thread connects it (not an escape of an ambient scope).
                using (AmbientNamespace.Leave())
                    await socket.ConnectAsync(new IPEndPoint(address, port), cancellation).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                last = e;
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>
    /// An HttpClient handler whose connections are made from inside <paramref name="ns"/>: host names are
    /// resolved by the worker thread inside it, and each socket is created there.
    /// <c>new HttpClient(NamespaceSockets.CreateHttpHandler(ns))</c> then reaches the namespace's servers.
    /// The handler keeps <paramref name="ns"/> in use: dispose the handle after the handler.
    /// </summary>
    public static SocketsHttpHandler CreateHttpHandler(NamespaceHandle ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (context, cancellation) =>
            {
                var host = context.DnsEndPoint;
                IPAddress[] addresses = IPAddress.TryParse(host.Host, out var literal)
                    ? [literal]
                    : NamespaceWorker.Run(ns, () => Dns.GetHostAddresses(host.Host));
                var socket = await ConnectAsync(ns, addresses, host.Port, cancellation).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
    }
}
