// Loopback HTTP listeners for the boundary suite: one in the caller's namespace, one in the target, each answering
// every connection with its tag, so a technique's answer tells which namespace it reached.
using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

public static class BoundaryListener
{
    public static Socket Listen(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        s.Bind(new IPEndPoint(IPAddress.Loopback, port));
        s.Listen(64);
        return s;
    }

    public static void Serve(Socket listener, string tag)
    {
        var body = Encoding.ASCII.GetBytes(tag);
        var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: " + body.Length + "\r\n\r\n");
        var t = new Thread(() =>
        {
            while (true)
            {
                Socket c;
                try { c = listener.Accept(); } catch (Exception) { return; } // closed
                using (c)
                {
                    try
                    {
                        c.ReceiveTimeout = 2000;
                        c.Receive(new byte[4096]);
                        c.Send(head);
                        c.Send(body);
                        c.Shutdown(SocketShutdown.Both);
                    }
                    catch (Exception) { } // a probe that only connects, or a reset: serve the next
                }
            }
        }) { IsBackground = true };
        t.Start();
    }
}
