using System.Globalization;
using System.Net;

namespace NetNs.Core;

/// <summary>The transport a listening socket is looked for on.</summary>
public enum ListenProtocol
{
    /// <summary>A TCP socket in the LISTEN state.</summary>
    Tcp,
    /// <summary>An unconnected UDP socket bound to the port.</summary>
    Udp,
}

/// <summary>
/// The sockets listening in a namespace, read from /proc/thread-self/net/{tcp,tcp6,udp,udp6} on a thread inside it
/// (those files show the reading thread's namespace). Equivalent to: `ip netns exec NS ss -ltn` (or `ss -lun`).
/// </summary>
public static class ListeningSockets
{
    private const string TcpListen = "0A", UdpUnconnected = "07";

    /// <summary>The local endpoints listening on <paramref name="protocol"/> in <paramref name="ns"/> (null: the caller's own).</summary>
    public static IReadOnlyList<IPEndPoint> Read(NamespaceHandle? ns, ListenProtocol protocol)
    {
        string name = protocol == ListenProtocol.Tcp ? "tcp" : "udp";
        (string V4, string V6) Load() => (ReadTable(name), ReadTable(name + "6"));
        var (v4, v6) = ns is null ? Load() : NamespaceWorker.Run(ns, Load);
        string state = protocol == ListenProtocol.Tcp ? TcpListen : UdpUnconnected;
        return [.. Parse(v4, state), .. Parse(v6, state)];
    }

    private static string ReadTable(string name)
    {
        try
        {
            return File.ReadAllText("/proc/thread-self/net/" + name);
        }
        catch (FileNotFoundException)
        {
            return ""; // no IPv6 in this kernel
        }
    }

    /// <summary>
    /// The local endpoints of the lines of a /proc/net/{tcp,udp}[6] table in <paramref name="state"/> (hex, as the
    /// table writes it: 0A is TCP_LISTEN, 07 TCP_CLOSE, which unconnected UDP sockets show).
    /// </summary>
    internal static IEnumerable<IPEndPoint> Parse(string table, string state)
    {
        foreach (string line in table.Split('\n').Skip(1))
        {
            // "  0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0 0 12345 …"
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != state)
                continue;
            int colon = fields[1].IndexOf(':');
            if (colon < 0 || !int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int port))
                continue;
            if (Address(fields[1].AsSpan(0, colon)) is { } address)
                yield return new IPEndPoint(address, port);
        }
    }

    // The address is the kernel's bytes printed as 32-bit words in host order (little-endian here): each word's
    // bytes come reversed.
    private static IPAddress? Address(ReadOnlySpan<char> hex)
    {
        if (hex.Length is not (8 or 32))
            return null;
        var bytes = new byte[hex.Length / 2];
        for (int word = 0; word < bytes.Length / 4; word++)
        {
            if (!uint.TryParse(hex.Slice(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint value))
                return null;
            if (!BitConverter.IsLittleEndian)
                value = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(word * 4), value);
        }
        return new IPAddress(bytes);
    }
}
