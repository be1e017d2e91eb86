using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using NetNs.Core;

namespace NetNs;

/// <summary>Completes -Namespace (and -PeerNamespace, -NewNamespace) with the names under /run/netns.</summary>
public sealed class NamespaceNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Results(SafeList(NamedNamespaces.ListNames), wordToComplete);

    private static IEnumerable<string> SafeList(Func<IReadOnlyList<string>> list)
    {
        try
        {
            return list();
        }
        catch (Exception e) when (e is NetNsException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}

/// <summary>Completes container names (every runtime's running containers) and pod names.</summary>
public sealed class ContainerNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Results(ContainerNamespaces.List(includeStopped: false).SelectMany(c => new[] { c.Name, c.PodName })
            .OfType<string>().Distinct(StringComparer.Ordinal), wordToComplete);
}

/// <summary>Completes link names in the namespace given by -Namespace on the same command line.</summary>
public sealed class LinkNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Results(Completion.Links(fakeBoundParameters, bridgesOnly: false), wordToComplete);
}

/// <summary>Completes -Bridge with the bridges in the namespace given by -Namespace.</summary>
public sealed class BridgeNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Results(Completion.Links(fakeBoundParameters, bridgesOnly: true), wordToComplete);
}

/// <summary>Completes network names in the namespace given by -NetworkNamespace (Connect/Disconnect-NetNsNetwork) or -Namespace (the others).</summary>
public sealed class NetworkNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Results(Completion.Networks(fakeBoundParameters,
            commandName is "Connect-NetNsNetwork" or "Disconnect-NetNsNetwork" ? "NetworkNamespace" : "Namespace"), wordToComplete);
}

/// <summary>
/// Completes sysctl keys one part at a time (net. → net.ipv4. → net.ipv4.ip_forward), read in the namespace given by
/// -Namespace (its per-interface branches are its own).
/// </summary>
public sealed class SysctlKeyCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Results(Completion.SysctlKeys(fakeBoundParameters, (wordToComplete ?? "").Trim('\'', '"')), wordToComplete ?? "");
}

internal static class Completion
{
    public static IEnumerable<string> SysctlKeys(IDictionary bound, string typed) => Safe(() =>
    {
        var reference = NamespaceOf(bound, "Namespace");
        using var ns = reference.OpenUnlessCurrent();
        return Sysctl.Complete(ns, typed).ToList();
    });

    public static IEnumerable<CompletionResult> Results(IEnumerable<string> names, string word)
    {
        var pattern = WildcardPattern.Get(WildcardPattern.Escape((word ?? "").Trim('\'', '"')) + "*", WildcardOptions.IgnoreCase);
        foreach (string name in names.Where(n => pattern.IsMatch(n)).Order(StringComparer.Ordinal))
        {
            string text = name.Any(c => char.IsWhiteSpace(c) || "'\"$`;,(){}@#&|<>".Contains(c)) ? $"'{name.Replace("'", "''")}'" : name;
            yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
        }
    }

    public static IEnumerable<string> Links(IDictionary bound, bool bridgesOnly) => Safe(() =>
    {
        using var h = NetlinkHandle.Open(NamespaceOf(bound, "Namespace"));
        return h.GetLinks().Where(l => !bridgesOnly || l.Kind == "bridge").Select(l => l.Name).ToList();
    });

    public static IEnumerable<string> Networks(IDictionary bound, string namespaceParameter) => Safe(() =>
    {
        using var networks = NetworkManager.Open(NamespaceOf(bound, namespaceParameter));
        return networks.List().Select(n => n.Name).ToList();
    });

    private static NamespaceRef NamespaceOf(IDictionary bound, string parameter) =>
        bound[parameter] is { } v ? (NamespaceRef)NamespaceTransformationAttribute.Convert(v) : NamespaceRef.Current;

    private static List<string> Safe(Func<List<string>> list)
    {
        try
        {
            return list();
        }
        catch (Exception e) when (e is NetNsException or ArgumentTransformationMetadataException or InvalidCastException)
        {
            return [];
        }
    }
}
