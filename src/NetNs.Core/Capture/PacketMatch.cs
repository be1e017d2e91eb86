using System.Globalization;
using System.Net;

namespace NetNs.Core;

/// <summary>
/// Which decoded packets a reader wants: source and destination addresses or prefixes ("198.18.1.1",
/// "198.18.1.0/24", "2001:db8::/32"), protocols, ports and direction. Each given list matches when any of its items
/// does; all given lists must match. What Get-NetNsPacket -Source/-Destination/-Protocol/-SourcePort/-DestinationPort
/// apply (after the kernel's BPF filter, on the decoded packet).
/// </summary>
public sealed class PacketMatch
{
    private readonly (byte[] Bytes, int Length)[]? _source, _destination;
    private readonly NetNsPacketProtocol[]? _protocol;
    private readonly int[]? _sourcePort, _destinationPort;
    private readonly PacketDirection? _direction;

    /// <summary>A match; null or empty lists match everything. InvalidArgument for an address that does not parse.</summary>
    public PacketMatch(IEnumerable<string>? source = null, IEnumerable<string>? destination = null,
        IEnumerable<NetNsPacketProtocol>? protocol = null, IEnumerable<int>? sourcePort = null,
        IEnumerable<int>? destinationPort = null, PacketDirection? direction = null)
    {
        _source = Prefixes(source, "-Source");
        _destination = Prefixes(destination, "-Destination");
        _protocol = protocol?.ToArray() is { Length: > 0 } p ? p : null;
        _sourcePort = sourcePort?.ToArray() is { Length: > 0 } sp ? sp : null;
        _destinationPort = destinationPort?.ToArray() is { Length: > 0 } dp ? dp : null;
        _direction = direction;
    }

    /// <summary>Whether nothing is asked (every packet matches).</summary>
    public bool IsEmpty => _source is null && _destination is null && _protocol is null && _sourcePort is null
        && _destinationPort is null && _direction is null;

    /// <summary>Whether <paramref name="packet"/> is one of those asked for.</summary>
    public bool Matches(NetNsPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return (_protocol is null || _protocol.Contains(packet.Protocol))
            && (_direction is null || packet.Direction == _direction)
            && (_sourcePort is null || (packet.SourcePort is int s && _sourcePort.Contains(s)))
            && (_destinationPort is null || (packet.DestinationPort is int d && _destinationPort.Contains(d)))
            && InAny(packet.Source, _source)
            && InAny(packet.Destination, _destination);
    }

    /// <summary>A readable form of what is asked, for messages ("-Source 198.18.1.1 -Protocol Tcp").</summary>
    public string Describe(IEnumerable<string>? source, IEnumerable<string>? destination)
    {
        var parts = new List<string>();
        if (source?.Any() == true) parts.Add("-Source " + string.Join(",", source));
        if (destination?.Any() == true) parts.Add("-Destination " + string.Join(",", destination));
        if (_protocol is not null) parts.Add("-Protocol " + string.Join(",", _protocol));
        if (_sourcePort is not null) parts.Add("-SourcePort " + string.Join(",", _sourcePort));
        if (_destinationPort is not null) parts.Add("-DestinationPort " + string.Join(",", _destinationPort));
        if (_direction is not null) parts.Add("-Direction " + _direction);
        return parts.Count == 0 ? "any packet" : string.Join(" ", parts);
    }

    private static bool InAny(IPAddress? address, (byte[] Bytes, int Length)[]? prefixes)
    {
        if (prefixes is null)
            return true;
        if (address is null)
            return false;
        var bytes = address.GetAddressBytes();
        foreach (var (prefix, length) in prefixes)
        {
            if (prefix.Length == bytes.Length && SamePrefix(bytes, prefix, length))
                return true;
        }
        return false;
    }

    private static bool SamePrefix(byte[] a, byte[] b, int bits)
    {
        int whole = bits / 8;
        for (int i = 0; i < whole; i++)
        {
            if (a[i] != b[i])
                return false;
        }
        int rest = bits % 8;
        if (rest == 0)
            return true;
        int mask = 0xff << (8 - rest) & 0xff;
        return (a[whole] & mask) == (b[whole] & mask);
    }

    private static (byte[], int)[]? Prefixes(IEnumerable<string>? texts, string parameter)
    {
        var list = new List<(byte[], int)>();
        foreach (string text in texts ?? [])
        {
            string t = text?.Trim() ?? "";
            int slash = t.IndexOf('/');
            string addressPart = slash < 0 ? t : t[..slash];
            if (!IPAddress.TryParse(addressPart, out var address) || addressPart.Contains('%'))
                throw NetNsException.Invalid("match packets", t, $"{parameter} '{t}' is not an IP address or prefix (198.18.1.1, 198.18.1.0/24, 2001:db8::/32)");
            var bytes = address.GetAddressBytes();
            int length = bytes.Length * 8;
            if (slash >= 0 && (!int.TryParse(t[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > bytes.Length * 8))
                throw NetNsException.Invalid("match packets", t, $"{parameter} '{t}' has a prefix length that is not 0-{bytes.Length * 8}");
            list.Add((bytes, length));
        }
        return list.Count == 0 ? null : list.ToArray();
    }
}
