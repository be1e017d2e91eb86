using System.Management.Automation;

namespace NetNs;

/// <summary>Wildcard filters for the Get-* cmdlets' -Name/-Kind/-InterfaceAlias style parameters.</summary>
internal static class Wildcards
{
    /// <summary>A test that is true for a value matching any of <paramref name="patterns"/> (never for null).</summary>
    public static Func<string?, bool> AnyOf(IEnumerable<string> patterns, WildcardOptions options)
    {
        var compiled = patterns.Select(p => WildcardPattern.Get(p, options)).ToList();
        return value => value is not null && compiled.Any(p => p.IsMatch(value));
    }
}
