using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;

namespace NetNs.Core.Tests;

/// <summary>
/// HttpClient's connections, made on thread-pool threads in the process's original namespace, sent into the ambient
/// namespace by the process's default proxy and its SOCKS5 bridge; and what objects made on a namespace host say.
/// </summary>
public sealed class NamespaceWebProxyTests
{
    // A one-connection-at-a-time HTTP server on 127.0.0.1:port inside ns, answering every request with tag.
    private static Socket Serve(NamespaceHandle ns, int port, string tag)
    {
        var listener = NamespaceSockets.Open(ns, AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(16);
        byte[] body = Encoding.ASCII.GetBytes(tag);
        byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: {body.Length}\r\n\r\n");
        new Thread(() =>
        {
            try
            {
                while (true)
                {
                    using var c = listener.Accept();
                    c.Receive(new byte[4096]);
                    c.Send(head);
                    c.Send(body);
                    c.Shutdown(SocketShutdown.Both);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // closed
            }
        }) { IsBackground = true }.Start();
        return listener;
    }

    [RootFact]
    public async Task AnHttpClientUnderAnAmbientNamespaceReachesThatNamespacesLoopbackAndHostNames()
    {
        using var lab = new Lab();
        string name = lab.Namespace();
        Ip.Must("-n", name, "link", "set", "lo", "up");
        using var ns = NamespaceHandle.OpenName(name);
        using var server = Serve(ns, 18090, "inside " + name);
        NamespaceWebProxy.Install();
        using var client = new HttpClient();
        using (AmbientNamespace.Enter(ns))
        {
            // Awaited: the request and its connection run on thread-pool threads, which never entered the namespace.
            Assert.Equal("inside " + name, await client.GetStringAsync(new Uri("http://127.0.0.1:18090/")));
            Assert.Equal("inside " + name, await Task.Run(() => client.GetStringAsync(new Uri("http://localhost:18090/"))));
        }
        Assert.Null(AmbientNamespace.Current);
    }

    [RootFact]
    public async Task TheBridgeRefusesAClientWithoutItsPassword()
    {
        using var lab = new Lab();
        using var ns = NamespaceHandle.OpenName(lab.Namespace());
        NamespaceWebProxy.Install();
        Uri proxy;
        using (AmbientNamespace.Enter(ns))
            proxy = HttpClient.DefaultProxy.GetProxy(new Uri("http://198.18.63.1/"))!;
        Assert.Equal("socks5", proxy.Scheme);
        Assert.True(proxy.IsLoopback);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, proxy.Port);
        await socket.SendAsync(new byte[] { 5, 1, 0 }); // "no authentication" only
        var reply = new byte[2];
        Assert.Equal(2, await socket.ReceiveAsync(reply));
        Assert.Equal(new byte[] { 5, 0xFF }, reply); // no acceptable method
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await second.ConnectAsync(IPAddress.Loopback, proxy.Port);
        await second.SendAsync(new byte[] { 5, 1, 2, 1, 1, (byte)'x', 1, (byte)'y' }); // user "x", password "y"
        var replies = new byte[4];
        int got = 0;
        while (got < 4 && await second.ReceiveAsync(replies.AsMemory(got)) is > 0 and var n)
            got += n;
        Assert.Equal(new byte[] { 5, 2, 1, 1 }, replies); // password asked for, then refused
    }

    [RootFact]
    public void AConnectionMadeForAScopeFromAThreadOutsideItsNamespaceIsNotedOnTheScope()
    {
        using var lab = new Lab();
        using var inside = NamespaceHandle.OpenName(lab.Namespace());
        using var elsewhere = NamespaceHandle.OpenName(lab.Namespace()); // stands for the caller's namespace
        NamespaceWebProxy.Install();
        using var scope = AmbientNamespace.Enter(inside);
        var work = ExecutionContext.Capture()!; // what a thread-pool work item of the scope carries
        void Connect(int port)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Connect(IPAddress.Loopback, port); // lo is down in a new namespace: fails at once
            }
            catch (SocketException)
            {
            }
        }
        NamespaceWorker.Run(inside, () => { ExecutionContext.Run(work, _ => Connect(1), null); return 0; });
        Assert.Empty(scope.Escapes); // made inside: contained
        NamespaceWorker.Run(elsewhere, () => { ExecutionContext.Run(work, _ => Connect(2), null); return 0; });
        Assert.Equal(["127.0.0.1:2"], scope.Escapes);
        NamespaceWorker.Run(elsewhere, () => { Connect(3); return 0; }); // not the scope's work
        Assert.Single(scope.Escapes);
    }

    [RootFact]
    public async Task WorkThatOutlivesItsNamespaceHandleFailsInsteadOfConnectingFromTheCallersNamespace()
    {
        using var lab = new Lab();
        var ns = NamespaceHandle.OpenName(lab.Namespace());
        NamespaceWebProxy.Install();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var scope = AmbientNamespace.Enter(ns);
        ns.Dispose(); // the block's namespace host has ended; its late work still carries the scope
        Assert.Equal(new Uri("socks5://127.0.0.1:0"), HttpClient.DefaultProxy.GetProxy(new Uri("http://198.18.63.1/")));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(new Uri("http://198.18.63.1:18091/")));
    }

    [RootFact]
    public void WithoutAnAmbientNamespaceTheDefaultProxyIsTheOneItWrapped()
    {
        NamespaceWebProxy.Install();
        Assert.IsType<NamespaceWebProxy>(HttpClient.DefaultProxy);
        Assert.Null(AmbientNamespace.Current);
        var target = new Uri("http://198.18.63.1/");
        Assert.NotEqual("socks5", HttpClient.DefaultProxy.GetProxy(target)?.Scheme);
    }

    [RootFact]
    public void ObjectsMadeOnANamespaceHostNameItsNamespace()
    {
        using var lab = new Lab();
        string name = lab.Namespace();
        using var ns = NamespaceHandle.OpenName(name);
        Assert.Null(NamespaceHandle.LabelOf(null)); // the caller's own namespace stays unnamed
        using var host = NamespaceHost.Acquire(ns);
        var (label, linkNamespace) = host.Invoke(() =>
        {
            using var rtnl = NetlinkHandle.Open();
            return (NamespaceHandle.LabelOf(null), rtnl.GetLink("lo").Namespace);
        });
        Assert.Equal(name, label);
        Assert.Equal(name, linkNamespace);
    }
}
