using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace NetNs.Core;

/// <summary>IPv4 or IPv6, with the values of AF_INET and AF_INET6.</summary>
public enum IPAddressFamily
{
    /// <summary>AF_INET.</summary>
    IPv4 = 2,
    /// <summary>AF_INET6.</summary>
    IPv6 = 10,
}

/// <summary>
/// An address with a prefix length, as `ip` writes it: "198.18.0.1/24", "2001:db8::1/64". Unlike a network
/// prefix the host bits may be set (an interface address); <see cref="Network"/> clears them.
/// </summary>
public readonly record struct IPPrefix
{
    /// <summary>Creates a prefix, checking the length against the family.</summary>
    public IPPrefix(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw NetNsException.Invalid("parse prefix", address.ToString(), $"'{address}' is not an IPv4 or IPv6 address");
        int max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max)
            throw NetNsException.Invalid("parse prefix", $"{address}/{prefixLength}",
                $"prefix length {prefixLength} is out of range for {address} (0–{max})");
        Address = address;
        PrefixLength = prefixLength;
    }

    /// <summary>The address.</summary>
    public IPAddress Address { get; }

    /// <summary>Number of leading bits of the network part.</summary>
    public int PrefixLength { get; }

    /// <summary>IPv4 or IPv6.</summary>
    public IPAddressFamily Family => Address.AddressFamily == AddressFamily.InterNetwork ? IPAddressFamily.IPv4 : IPAddressFamily.IPv6;

    /// <summary>Total bits in the address (32 or 128).</summary>
    public int MaxLength => Family == IPAddressFamily.IPv4 ? 32 : 128;

    /// <summary>The prefix with the host bits cleared ("198.18.0.0/24").</summary>
    public IPPrefix Network
    {
        get
        {
            byte[] bytes = Address.GetAddressBytes();
            for (int i = 0; i < bytes.Length; i++)
            {
                int bitsHere = Math.Clamp(PrefixLength - i * 8, 0, 8);
                bytes[i] &= (byte)(0xff << (8 - bitsHere));
            }
            return new IPPrefix(new IPAddress(bytes), PrefixLength);
        }
    }

    /// <summary>Parses "ADDR/LEN", "ADDR" (a host prefix: /32 or /128) or "default".</summary>
    public static IPPrefix Parse(string text, IPAddressFamily defaultFamily = IPAddressFamily.IPv4) =>
        TryParse(text, out var p, out string? error, defaultFamily) ? p : throw NetNsException.Invalid("parse prefix", text ?? "", error!);

    /// <summary>Parses without throwing; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? text, out IPPrefix prefix, [NotNullWhen(false)] out string? error,
        IPAddressFamily defaultFamily = IPAddressFamily.IPv4)
    {
        prefix = default;
        error = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "an address or prefix cannot be empty";
            return false;
        }
        if (text.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            prefix = new IPPrefix(defaultFamily == IPAddressFamily.IPv4 ? IPAddress.Any : IPAddress.IPv6Any, 0);
            return true;
        }
        int slash = text.IndexOf('/');
        string addrText = slash < 0 ? text : text[..slash];
        if (!TryParseAddress(addrText, out var addr))
        {
            error = $"'{text}' is not an IPv4 or IPv6 address (expected e.g. 198.18.0.1/24 or 2001:db8::1/64)";
            return false;
        }
        int max = addr.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int len = max;
        if (slash >= 0)
        {
            string lenText = text[(slash + 1)..];
            if (lenText.Length == 0 || lenText.Length > 3 || !lenText.All(char.IsAsciiDigit)
                || !int.TryParse(lenText, NumberStyles.None, CultureInfo.InvariantCulture, out len) || len > max)
            {
                error = $"'{text}' has an invalid prefix length (0–{max})";
                return false;
            }
        }
        prefix = new IPPrefix(addr, len);
        return true;
    }

    /// <summary>
    /// Parses a network prefix, as `ip route` takes it: like <see cref="Parse"/>, but host bits must be clear
    /// ("198.18.70.1/24" is refused, naming 198.18.70.0/24), as iproute2 refuses it.
    /// </summary>
    public static IPPrefix ParseNetwork(string text, IPAddressFamily defaultFamily = IPAddressFamily.IPv4)
    {
        var p = Parse(text, defaultFamily);
        var network = p.Network;
        if (!network.Address.Equals(p.Address))
            throw NetNsException.Invalid("parse prefix", text, $"'{text}' has host bits set: the network is {network}");
        return p;
    }

    /// <summary>
    /// A single address, strictly: IPv4 only as four decimal numbers 0–255 (no "198.18.258", "3", "0x7f.1" or
    /// octal "010.0.0.1", which inet_aton and IPAddress.Parse read as other addresses), IPv6 without a zone.
    /// </summary>
    public static bool TryParseAddress(string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text) || text.Contains('%') || text.Any(char.IsWhiteSpace))
            return false;
        if (text.Contains(':'))
        {
            return IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }
        string[] parts = text.Split('.');
        if (parts.Length != 4)
            return false;
        var bytes = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            string part = parts[i];
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0')
                || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
                return false;
        }
        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>Whether this is a default route prefix (0.0.0.0/0 or ::/0).</summary>
    public bool IsDefault => PrefixLength == 0;

    /// <summary>Whether <paramref name="address"/> lies in this prefix (same family, same network bits).</summary>
    public bool Contains(IPAddress address) =>
        address.AddressFamily == Address.AddressFamily && new IPPrefix(address, PrefixLength).Network.Address.Equals(Network.Address);

    /// <summary>The address <paramref name="offset"/> after the network address (0 is the network address itself).</summary>
    public IPAddress AddressAt(BigInteger offset)
    {
        int len = MaxLength / 8;
        byte[] bytes = (ToInteger(Network.Address) + offset).ToByteArray(isUnsigned: true, isBigEndian: true);
        var full = new byte[len];
        bytes.AsSpan(Math.Max(0, bytes.Length - len)).CopyTo(full.AsSpan(Math.Max(0, len - bytes.Length)));
        return new IPAddress(full);
    }

    /// <summary>How far <paramref name="address"/> is from the network address (the inverse of <see cref="AddressAt"/>).</summary>
    public BigInteger OffsetOf(IPAddress address) => ToInteger(address) - ToInteger(Network.Address);

    private static BigInteger ToInteger(IPAddress a) => new(a.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    /// <inheritdoc/>
    public override string ToString() => $"{Address}/{PrefixLength}";
}
