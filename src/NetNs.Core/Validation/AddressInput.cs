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
