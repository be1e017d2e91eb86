using System.Management.Automation;
using NetNs.Core;

namespace NetNs;

/// <summary>Wildcard filters for the -Name/-Kind/-InterfaceAlias style parameters, with one rule for bad patterns.</summary>
internal static class Wildcards
{
    /// <summary>
    /// The pattern, checked: a malformed one ('[', 'a[b') is one InvalidArgument error, not the WildcardPatternException
    /// PowerShell would throw at the first match.
    /// </summary>
    public static WildcardPattern Compile(string pattern, WildcardOptions options)
    {
        var compiled = WildcardPattern.Get(pattern, options);
        try
        {
            compiled.IsMatch(""); // parses the pattern now
        }
        catch (WildcardPatternException e)
        {
            throw NetNsException.Invalid("match", pattern, $"'{pattern}' is not a valid wildcard pattern ({e.Message.TrimEnd('.')}); escape [ and ] as `[ and `]");
        }
        return compiled;
    }

    /// <summary>A test that is true for a value matching any of <paramref name="patterns"/> (never for null).</summary>
    public static Func<string?, bool> AnyOf(IEnumerable<string> patterns, WildcardOptions options)
    {
        var compiled = patterns.Select(p => Compile(p, options)).ToList();
        return value => value is not null && compiled.Any(p => p.IsMatch(value));
    }
}
