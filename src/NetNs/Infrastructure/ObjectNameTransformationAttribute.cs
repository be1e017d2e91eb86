using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using NetNs.Core;

namespace NetNs;

/// <summary>
/// On a parameter that names a thing (-Name, -Network, -Key…): a NetNs object given as its value — `-Network $net`,
/// `-Name $link` — gives its name AND its own namespace, so the cmdlet acts where the object is, not in the caller's
/// namespace. The name string handed to the binder is a fresh instance remembered with the namespace it came with;
/// <see cref="NetNsCmdlet"/> then fills the namespace parameter (<see cref="NamespaceParameter"/>) from it before the
/// item is processed (<see cref="Apply"/>). Strings and other objects pass through unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ObjectNameTransformationAttribute(string namespaceParameter, params string[] nameProperties) : ArgumentTransformationAttribute
{
    // Each name string this attribute made, with where it came from; dies with the string.
    private static readonly ConditionalWeakTable<string, Carried> s_carried = new();

    private sealed record Carried(string Parameter, string? Namespace);

    /// <summary>The cmdlet parameter the object's namespace goes to (Namespace, NetworkNamespace).</summary>
    public string NamespaceParameter { get; } = namespaceParameter;

    /// <summary>The object properties that give the name, first present wins; none: the object's ToString().</summary>
    public IReadOnlyList<string> NameProperties { get; } = nameProperties;

    /// <summary>The object properties that give its namespace, first present wins (a member's network lives in NetworkNamespace).</summary>
    public string[] NamespaceProperties { get; set; } = ["Namespace"];

    /// <inheritdoc/>
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject p ? p.BaseObject : inputData;
        if (value is IList list)
            return list.Cast<object?>().Select(One).ToArray();
        return One(inputData);
    }

    private object? One(object? input)
    {
        object? value = input is PSObject p ? p.BaseObject : input;
        if (value is null || value.GetType().Namespace != typeof(NetNsLink).Namespace)
            return input;
        var type = value.GetType();
        string? name = NameProperties.Count == 0 ? value.ToString()
            : NameProperties.Select(n => type.GetProperty(n, BindingFlags.Public | BindingFlags.Instance)).FirstOrDefault(x => x is not null)?.GetValue(value)?.ToString();
        if (string.IsNullOrEmpty(name))
            return input;
        var nsProperty = NamespaceProperties.Select(n => type.GetProperty(n, BindingFlags.Public | BindingFlags.Instance)).FirstOrDefault(x => x is not null);
        if (nsProperty is null)
            return input;
        string carried = new(name.AsSpan()); // a fresh instance: the key is this very string, not its text
        s_carried.AddOrUpdate(carried, new Carried(NamespaceParameter, nsProperty.GetValue(value)?.ToString()));
        return carried;
    }

    /// <summary>
    /// Fills each namespace parameter that a bound object name carries a namespace for. An error when two objects
    /// disagree, when the parameter was given too and names another namespace, or — on a changing cmdlet — when the
    /// object names none (an object of the caller's own namespace: -Namespace $PID names it).
    /// </summary>
    internal static NetNsException? Apply(PSCmdlet cmdlet, bool changing)
    {
        Dictionary<string, string?>? found = null;
        var bound = cmdlet.MyInvocation.BoundParameters;
        foreach (var (parameter, value) in bound)
        {
            IEnumerable<string> names = value switch { string s => [s], string[] a => a, _ => [] };
            foreach (string name in names)
            {
                if (!s_carried.TryGetValue(name, out var c))
                    continue;
                found ??= [];
                if (found.TryGetValue(c.Parameter, out var other) && !string.Equals(other ?? "", c.Namespace ?? "", StringComparison.Ordinal))
                    return Invalid(cmdlet, $"-{parameter} holds objects of different namespaces ('{other}' and '{c.Namespace}'): give one namespace's at a time");
                found[c.Parameter] = c.Namespace;
            }
        }
        if (found is null)
            return null;
        foreach (var (target, text) in found)
        {
            NamespaceRef carried;
            try
            {
                carried = NamespaceRef.Parse(text);
            }
            catch (NetNsException e)
            {
                return e;
            }
            if (bound.TryGetValue(target, out var given))
            {
                if (given is NamespaceRef g && !g.Equals(carried) && carried.Kind != NamespaceRefKind.Current)
                    return Invalid(cmdlet, $"the object given is in namespace '{carried}' but -{target} is '{g}'");
                continue; // named explicitly (e.g. -Namespace $PID for objects of the caller's own namespace)
            }
            if (carried.Kind == NamespaceRefKind.Current && changing)
                return Invalid(cmdlet, $"the object given names no namespace (it is of the caller's own): {cmdlet.MyInvocation.MyCommand.Name} "
                    + $"changes the caller's own namespace only when it is named (-{target} $PID)");
            cmdlet.GetType().GetProperty(target)!.SetValue(cmdlet, carried);
        }
        return null;
    }

    private static NetNsException Invalid(PSCmdlet cmdlet, string message) =>
        NetNsException.Invalid(cmdlet.MyInvocation.MyCommand.Name, "", message);
}
