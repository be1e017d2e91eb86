using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>
/// A SOCKS5 server (RFC 1928, CONNECT only, with RFC 1929 username/password) on 127.0.0.1 of the process's original
/// namespace, whose every connection is made from inside one other namespace: what <see cref="NamespaceWebProxy"/>
/// hands HttpClient (and WebClient) while a script block of Invoke-InNetNamespace runs, since .NET makes HTTP
/// connections on thread-pool threads, which are in the original namespace. Host names are resolved inside the
/// namespace, with its /etc/netns/NAME files, as `ip netns exec` would. Only a client knowing this bridge's random
/// password (this process) may use it. One bridge per namespace; it closes when the namespace is deleted by NetNs or
/// after <see cref="IdleTimeout"/> without a connection.
/// </summary>
internal sealed class SocksBridge : IDisposable
{
    private static readonly object Gate = new();
    private static readonly Dictionary<FileIdentity, SocksBridge> Bridges = [];

    private readonly Socket _listener;
    private readonly NamespaceHandle _ns;
    private readonly byte[] _password;
    private readonly CancellationTokenSource _stop = new();
    private readonly Timer _idle;
    private int _active;
    private long _lastUse = Environment.TickCount64;

    static SocksBridge() => NamespaceRetirement.Retiring += Drop;

    private SocksBridge(NamespaceHandle ns)
    {
        _ns = ns.Duplicate();
        _password = Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        try
        {
            _listener = NamespaceWorker.RunAtHome(() =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                s.Listen(64);
                return s;
            });
        }
        catch
        {
            _ns.Dispose();
            throw;
        }
        int port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        ProxyUri = new Uri("socks5://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Credential = new NetworkCredential("netns", Encoding.ASCII.GetString(_password));
        using (ExecutionContext.SuppressFlow())
        {
            _idle = new Timer(_ => CloseIfIdle(), null, IdleTimeout, IdleTimeout);
            _ = Task.Run(AcceptLoop);
        }
    }

    /// <summary>How long a bridge without connections stays open (default 30 s).</summary>
    public static TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>socks5://127.0.0.1:PORT.</summary>
    public Uri ProxyUri { get; }

    /// <summary>What a client must present.</summary>
    public NetworkCredential Credential { get; }

    /// <summary>The bridge into <paramref name="ns"/>, opened now or reused.</summary>
    public static SocksBridge For(NamespaceHandle ns)
    {
        ObjectDisposedException.ThrowIf(ns.Fd.IsClosed, ns);
        lock (Gate)
        {
            if (Bridges.TryGetValue(ns.Identity, out var open))
            {
                Interlocked.Exchange(ref open._lastUse, Environment.TickCount64);
                return open;
            }
            var made = new SocksBridge(ns);
            Bridges[ns.Identity] = made;
            return made;
        }
    }

    /// <summary>The credential of the bridge listening at <paramref name="proxy"/>, or null when it is none of ours.</summary>
    public static NetworkCredential? CredentialFor(Uri proxy)
    {
        lock (Gate)
            return Bridges.Values.FirstOrDefault(b => b.ProxyUri.Port == proxy.Port && proxy.IsLoopback)?.Credential;
    }

    /// <summary>Whether a bridge listens on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool IsBridgePort(int port)
    {
        lock (Gate)
            return Bridges.Values.Any(b => b.ProxyUri.Port == port);
    }

    private static void Drop(FileIdentity identity)
    {
        SocksBridge? bridge;
        lock (Gate)
        {
            if (!Bridges.Remove(identity, out bridge))
                return;
        }
        bridge.Close();
    }

    private void CloseIfIdle()
    {
        lock (Gate)
        {
            if (Volatile.Read(ref _active) > 0 || Environment.TickCount64 - Interlocked.Read(ref _lastUse) < IdleTimeout.TotalMilliseconds)
                return;
            if (Bridges.TryGetValue(_ns.Identity, out var b) && ReferenceEquals(b, this))
                Bridges.Remove(_ns.Identity);
        }
        Close();
    }

    private async Task AcceptLoop()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _active);
                Interlocked.Exchange(ref _lastUse, Environment.TickCount64);
                _ = Serve(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // closed
        }
    }

    private async Task Serve(Socket client)
    {
        try
        {
            using (client)
            {
                var target = await HandshakeAsync(client).ConfigureAwait(false);
                if (target is null)
                    return;
                Socket upstream;
                try
                {
                    var addresses = IPAddress.TryParse(target.Value.Host, out var ip) ? [ip] : Resolve(target.Value.Host);
                    upstream = await NamespaceSockets.ConnectAsync(_ns, addresses, target.Value.Port, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or NetNsException)
                {
                    byte code = e is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? (byte)5
                        : e is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } ? (byte)4 : (byte)1;
                    await Reply(client, code).ConfigureAwait(false);
                    return;
                }
                using (upstream)
                {
                    await Reply(client, 0).ConfigureAwait(false);
                    await SocketSplice.RunAsync(client, upstream, _stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // the client went away
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            Interlocked.Exchange(ref _lastUse, Environment.TickCount64);
        }
    }

    // Names are resolved on a warm thread inside the namespace with `ip netns exec`'s mount setup (its /etc/netns files).
    private IPAddress[] Resolve(string host)
    {
        using var resolver = NamespaceHost.Acquire(_ns, new NamespaceThreadOptions { RemountSysfs = true });
        return resolver.Invoke(() => Dns.GetHostAddresses(host));
    }

    /// <summary>RFC 1928/1929: methods, password, CONNECT request. Null (after a failure reply) when refused.</summary>
    private async Task<(string Host, int Port)?> HandshakeAsync(Socket client)
    {
        var buffer = new byte[256];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var ct = timeout.Token;
        async Task<byte[]> Read(int n)
        {
            var bytes = new byte[n];
            int got = 0;
            while (got < n)
            {
                int r = await client.ReceiveAsync(bytes.AsMemory(got), SocketFlags.None, ct).ConfigureAwait(false);
                if (r == 0)
                    throw new IOException("closed");
                got += r;
            }
            return bytes;
        }
        var head = await Read(2).ConfigureAwait(false);
        var methods = await Read(head[1]).ConfigureAwait(false);
        if (head[0] != 5 || Array.IndexOf(methods, (byte)2) < 0)
        {
            await client.SendAsync(new byte[] { 5, 0xFF }, SocketFlags.None, ct).ConfigureAwait(false);
            return null;
        }
        await client.SendAsync(new byte[] { 5, 2 }, SocketFlags.None, ct).ConfigureAwait(false);
        var auth = await Read(2).ConfigureAwait(false);
        await Read(auth[1]).ConfigureAwait(false); // user name: any
        var passwordLength = await Read(1).ConfigureAwait(false);
        var password = await Read(passwordLength[0]).ConfigureAwait(false);
        bool ok = auth[0] == 1 && CryptographicOperations.FixedTimeEquals(password, _password);
        await client.SendAsync(new byte[] { 1, ok ? (byte)0 : (byte)1 }, SocketFlags.None, ct).ConfigureAwait(false);
        if (!ok)
            return null;
        var request = await Read(4).ConfigureAwait(false);
        if (request[0] != 5 || request[1] != 1)
        {
            await Reply(client, 7).ConfigureAwait(false); // command not supported
            return null;
        }
        string host = request[3] switch
        {
            1 => new IPAddress(await Read(4).ConfigureAwait(false)).ToString(),
            4 => new IPAddress(await Read(16).ConfigureAwait(false)).ToString(),
            3 => Encoding.ASCII.GetString(await Read((await Read(1).ConfigureAwait(false))[0]).ConfigureAwait(false)),
            _ => "",
        };
        var port = await Read(2).ConfigureAwait(false);
        if (host.Length == 0)
        {
            await Reply(client, 8).ConfigureAwait(false); // address type not supported
            return null;
        }
        return (host, (port[0] << 8) | port[1]);
    }

    private static async Task Reply(Socket client, byte code) =>
        await client.SendAsync(new byte[] { 5, code, 0, 1, 0, 0, 0, 0, 0, 0 }, SocketFlags.None).ConfigureAwait(false);

    private void Close()
    {
        _stop.Cancel();
        _idle.Dispose();
        _listener.Dispose();
        _ns.Dispose();
    }

    /// <summary>Closes the bridge and drops its connections.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (Bridges.TryGetValue(_ns.Identity, out var b) && ReferenceEquals(b, this))
                Bridges.Remove(_ns.Identity);
        }
        Close();
    }
}
