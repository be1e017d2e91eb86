using System.Net.Sockets;

namespace NetNs.Core;

/// <summary>Carries bytes both ways between two connected sockets until both directions have ended.</summary>
internal static class SocketSplice
{
    /// <summary>Copies each side to the other; a side that ends shuts the other's sending half.</summary>
    public static Task RunAsync(Socket a, Socket b, CancellationToken cancellation) =>
        Task.WhenAll(Pump(a, b, cancellation), Pump(b, a, cancellation));

    private static async Task Pump(Socket from, Socket to, CancellationToken cancellation)
    {
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
                if (n == 0)
                    break;
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, cancellation).ConfigureAwait(false);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // one side went away: the other is closed with it
        }
    }
}
