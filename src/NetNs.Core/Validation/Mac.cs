using System.Globalization;

namespace NetNs.Core;

/// <summary>Link-layer addresses as text ("02:00:5e:10:00:01").</summary>
public static class Mac
{
    /// <summary>Lower-case hex bytes joined by ':'.</summary>
    public static string Format(ReadOnlySpan<byte> address) =>
        string.Join(':', address.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    /// <summary>A random unicast, locally administered Ethernet address (what the kernel's eth_random_addr makes).</summary>
    public static byte[] Random()
    {
        byte[] bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(6);
        bytes[0] = (byte)((bytes[0] & 0xfe) | 0x02); // clear multicast, set locally administered
        return bytes;
    }

    /// <summary>Parses a 6-byte Ethernet address written with ':' or '-' separators.</summary>
    public static byte[] Parse(string text)
    {
        string[] parts = (text ?? "").Split(':', '-');
        var bytes = new byte[parts.Length];
        bool ok = parts.Length == 6;
        for (int i = 0; ok && i < parts.Length; i++)
            ok = parts[i].Length is 1 or 2 && parts[i].All(char.IsAsciiHexDigit) // HexNumber alone would take " 1"
                && byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]);
        if (!ok)
            throw NetNsException.Invalid("parse MAC address", text ?? "", $"'{text}' is not a MAC address (expected e.g. 02:00:5e:10:00:01)");
        if ((bytes[0] & 1) != 0)
            throw NetNsException.Invalid("parse MAC address", text!, $"'{text}' is a multicast address; a link needs a unicast one");
        // is_valid_ether_addr(): the kernel refuses all zeros too (EADDRNOTAVAIL, which would read as "not found")
        if (bytes.All(b => b == 0))
            throw NetNsException.Invalid("parse MAC address", text!, $"'{text}' is the all-zero address; a link needs a unicast one");
        return bytes;
    }
}
