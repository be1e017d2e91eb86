using System.Net;

namespace NetNs.Core;

/// <summary>
/// Reads addresses as users give them to Set-/Remove-NetNsAddress: "198.18.0.1/24", or "198.18.0.1" with a
/// separate prefix length (as NetTCPIP's -IPAddress and -PrefixLength); both together must agree.
/// </summary>
public static class AddressInput
{
    /// <summary>An address with its prefix; InvalidArgument when neither the text nor -PrefixLength gives one.</summary>
    public static IPPrefix Prefix(string text, int? prefixLength)
    {
        var (address, len) = Parse(text, prefixLength);
        return len is int l ? new IPPrefix(address, l)
            : throw NetNsException.Invalid("parse address", text,
                $"'{text}' has no prefix length: write it as {text}/24 (or {text}/64 for IPv6), or add -PrefixLength");
    }

    /// <summary>
    /// A single address as a user types it (strictly: four decimal numbers for IPv4, no IPv6 zone); InvalidArgument
    /// for anything IPAddress.Parse or inet_aton would read as some other address ("198.18.258", "1", "0x7f.1").
    /// </summary>
    public static IPAddress Address(string text, string operation = "parse address") =>
        IPPrefix.TryParseAddress(text?.Trim(), out var address) ? address
            : throw NetNsException.Invalid(operation, text ?? "",
                $"'{text}' is not an IPv4 or IPv6 address (four decimal numbers such as 198.18.0.1, or 2001:db8::1 without a %zone)");

    /// <summary>
    /// A gateway (next hop): an address that can be one — not unspecified (0.0.0.0, ::), multicast, or the IPv4
    /// broadcast address, which the kernel would take or refuse with a less clear message.
    /// </summary>
    public static IPAddress Gateway(string text, string operation = "parse gateway")
    {
        var address = Address(text.Contains('/') ? text[..text.IndexOf('/')] : text, operation);
        string? why = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "is unspecified (no next hop)"
            : address.Equals(IPAddress.Broadcast) ? "is the broadcast address"
            : address.IsIPv6Multicast || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xF0) == 0xE0) ? "is a multicast address"
            : null;
        return why is null ? address : throw NetNsException.Invalid(operation, text, $"'{text}' cannot be a gateway: it {why}");
    }

    /// <summary>An address and the prefix length if one was given.</summary>
    public static (IPAddress Address, int? PrefixLength) Parse(string text, int? prefixLength)
    {
        var prefix = IPPrefix.Parse(text);
        bool hasSlash = text.Contains('/');
        if (hasSlash && prefixLength is int given && given != prefix.PrefixLength)
            throw NetNsException.Invalid("parse address", text, $"'{text}' and -PrefixLength {given} disagree");
        return (prefix.Address, hasSlash ? prefix.PrefixLength : prefixLength);
    }
}
