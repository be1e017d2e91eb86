// Compiled code for the boundary suite: what a user's Add-Type code would do inside Invoke-InNetNamespace's block.
using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

public static class BoundaryProbe
{
    // An HTTP GET over a plain TcpClient, made on the calling thread: the body (the listener's tag).
    public static string Get(int port)
    {
        using var c = new TcpClient("127.0.0.1", port);
        var s = c.GetStream();
        var w = new StreamWriter(s);
        w.Write("GET / HTTP/1.0\r\n\r\n");
        w.Flush();
        var parts = new StreamReader(s).ReadToEnd().Split('\n');
        return parts[parts.Length - 1];
    }

    // The same from a thread this code starts (it inherits the starting thread's namespace).
    public static string ViaThread(int port)
    {
        string r = null;
        var t = new Thread(() => r = Get(port));
        t.Start();
        t.Join();
        return r;
    }

    // The same from .NET's thread pool (its threads are in the process's original namespace).
    public static string ViaPool(int port) => Task.Run(() => Get(port)).GetAwaiter().GetResult();
}
