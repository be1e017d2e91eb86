using System.Net;
using System.Net.Sockets;
using NetNs.Core.Interop;

namespace NetNs.Core.Tests;

/// <summary>Warm namespace threads: reuse, one lease at a time, idle end, retirement, and the forwarder through them.</summary>
[Collection(nameof(NamespaceHostTests))] // IdleTimeout is process-wide: these tests do not run beside each other
public sealed class NamespaceHostTests
{
    private static FileIdentity Self(string ns) =>
        FileIdentity.TryOfPath("/proc/thread-self/ns/" + ns, out var id, out int errno) ? id : throw new IOException($"errno {errno}");

    private static bool ThreadAlive(int tid) => Directory.Exists($"/proc/self/task/{tid}");

    [RootFact]
    public void ALeaseRunsInTheNamespaceAndTheNextLeaseGetsTheSameWarmThread()
    {
        using var lab = new Lab();
        using var ns = NamespaceHandle.OpenName(lab.Namespace());
        var options = new NamespaceThreadOptions { RemountSysfs = true };
        int first;
        using (var host = NamespaceHost.Acquire(ns, options))
        {
            var (tid, net, mnt) = host.Invoke(() => (Libc.gettid(), Self("net"), Self("mnt")));
            first = tid;
            Assert.Equal(ns.Identity, net);
            Assert.NotEqual(Self("mnt"), mnt); // a mount namespace of its own, as ip netns exec has
            Assert.Equal(["lo"], host.Invoke(() => Directory.GetDirectories("/sys/class/net").Select(d => Path.GetFileName(d)!).ToArray()));
        }
        using (var again = NamespaceHost.Acquire(ns, options))
            Assert.Equal(first, again.Invoke(Libc.gettid));
        Assert.NotEqual(ns.Identity, Self("net")); // the caller never moved
    }

    [RootFact]
    public void ConcurrentLeasesGetTheirOwnThreads()
    {
        using var lab = new Lab();
        using var ns = NamespaceHandle.OpenName(lab.Namespace());
        using var a = NamespaceHost.Acquire(ns);
        using var b = NamespaceHost.Acquire(ns);
        Assert.NotEqual(a.Invoke(Libc.gettid), b.Invoke(Libc.gettid));
        var failure = Assert.Throws<InvalidOperationException>(() => a.Invoke<int>(() => throw new InvalidOperationException("inside")));
        Assert.Equal("inside", failure.Message);
    }

    [RootFact]
    public void AnIdleHostEndsAfterTheTimeoutAndDeletingTheNamespaceEndsItAtOnce()
    {
        var saved = NamespaceHost.IdleTimeout;
        try
        {
            using var lab = new Lab();
            using var ns = NamespaceHandle.OpenName(lab.Namespace());
            NamespaceHost.IdleTimeout = TimeSpan.FromMilliseconds(200);
            int tid;
            using (var host = NamespaceHost.Acquire(ns))
                tid = host.Invoke(Libc.gettid);
            Assert.True(SpinWait.SpinUntil(() => !ThreadAlive(tid), TimeSpan.FromSeconds(5)), "the idle host did not end");

            NamespaceHost.IdleTimeout = TimeSpan.FromMinutes(5);
            string other = lab.Namespace();
            int warm;
            using (var otherNs = NamespaceHandle.OpenName(other))
            using (var host = NamespaceHost.Acquire(otherNs))
                warm = host.Invoke(Libc.gettid);
            Assert.True(ThreadAlive(warm));
            NamedNamespaces.Delete(other); // Remove-NetNamespace: no NetNs thread may keep it alive
            // Delete has joined the thread; the kernel drops its task a moment later (/proc/self/task lags the join).
            Assert.True(SpinWait.SpinUntil(() => !ThreadAlive(warm), TimeSpan.FromSeconds(1)), "the warm host outlived Delete");
        }
        finally
        {
            NamespaceHost.IdleTimeout = saved;
        }
    }

    [RootFact]
    public void AHostMadeFromInsideANamespaceStartsFromTheOriginalOnes()
    {
        using var lab = new Lab();
        using var a = NamespaceHandle.OpenName(lab.Namespace());
        using var b = NamespaceHandle.OpenName(lab.Namespace());
        var original = Self("mnt");
        var (net, mnt) = NamespaceThread.Run(a, () =>
        {
            using var host = NamespaceHost.Acquire(b);
            return host.Invoke(() => (Self("net"), Self("mnt")));
        }, new NamespaceThreadOptions { RemountSysfs = true });
        Assert.Equal(b.Identity, net);
        Assert.Equal(original, mnt);
    }

    [RootFact]
    public void TheForwarderCarriesAConnectionFromTheOriginalNamespaceToAListenerInside()
    {
        using var lab = new Lab();
        string name = lab.Namespace();
        using var ns = NamespaceHandle.OpenName(name);
        using (var h = NetlinkHandle.Open(ns))
            h.SetLink("lo", new LinkChanges { Up = true });
        using var listener = NamespaceSockets.Open(ns, AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 18471));
        listener.Listen(4);
        using var forwarder = NamespaceForwarder.Start(NamespaceHandle.OpenName(name), [IPAddress.Loopback], 18471);

        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(forwarder.EndPoint);
        using var accepted = listener.Accept();
        client.Send("ping"u8);
        var buffer = new byte[16];
        Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(buffer, 0, accepted.Receive(buffer)));
        accepted.Send("pong"u8);
        Assert.Equal("pong", System.Text.Encoding.ASCII.GetString(buffer, 0, client.Receive(buffer)));
        Assert.Null(NamespaceForwarder.ForUri(new Uri("http://127.0.0.1:1/"))); // from the original namespace: nothing to bridge
    }
}
