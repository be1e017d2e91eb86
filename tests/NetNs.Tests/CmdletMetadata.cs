using System.Collections.ObjectModel;
using System.Reflection;
using System.Text.RegularExpressions;

namespace NetNs.Tests;

/// <summary>
/// The cmdlets' metadata as written in the attributes (read through <see cref="CustomAttributeData"/>), for the
/// conventions that are about the source itself: class names, sealing, verbs, ShouldProcess, help files. How the
/// parameters really bind is tested in a real runspace (<see cref="PwshSession"/>: BindingTests and the others).
/// </summary>
internal static class CmdletMetadata
{
    public const string Sma = "System.Management.Automation.";
    public const string AllSets = "__AllParameterSets";

    public static Assembly NetNs { get; } = typeof(global::NetNs.ErrorMapping).Assembly;

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Every cmdlet class: a type with [Cmdlet].</summary>
    public static IReadOnlyList<CmdletInfo> AllCmdlets { get; } =
        NetNs.GetTypes().Select(t => (t, a: Attr(t, "CmdletAttribute"))).Where(x => x.a is not null)
            .Select(x => new CmdletInfo(x.t, x.a!)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    public static CmdletInfo Cmdlet(string name) => AllCmdlets.Single(c => c.Name == name);

    public static CustomAttributeData? Attr(MemberInfo member, string shortName) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Sma + shortName);

    public static IEnumerable<CustomAttributeData> Attrs(MemberInfo member, string shortName) =>
        member.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Sma + shortName);

    public static T? Named<T>(CustomAttributeData a, string name, T? fallback = default) =>
        a.NamedArguments.Where(n => n.MemberName == name).Select(n => (T?)n.TypedValue.Value).DefaultIfEmpty(fallback).First();

    /// <summary>The values of a params-array constructor argument (or a single value).</summary>
    public static IEnumerable<object?> CtorValues(CustomAttributeData a) =>
        a.ConstructorArguments.SelectMany(arg => arg.Value is ReadOnlyCollection<CustomAttributeTypedArgument> list
            ? list.Select(x => x.Value) : [arg.Value]);

    /// <summary>CmdletsToExport from the manifest text.</summary>
    public static IReadOnlyList<string> ManifestCmdlets()
    {
        string psd1 = File.ReadAllText(Path.Combine(RepoRoot, "NetNs.psd1"));
        var m = Regex.Match(psd1, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)", RegexOptions.Singleline);
        Assert.True(m.Success, "NetNs.psd1 has no CmdletsToExport = @( ... )");
        string list = Regex.Replace(m.Groups["list"].Value, "#[^\n]*", "");
        return Regex.Matches(list, @"'([^']*)'|""([^""]*)""").Select(x => x.Groups[1].Success ? x.Groups[1].Value : x.Groups[2].Value).ToList();
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetNs.psd1")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
                return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the repository root (NetNs.psd1) above " + AppContext.BaseDirectory);
    }
}

/// <summary>A cmdlet class and its [Cmdlet] attribute.</summary>
internal sealed class CmdletInfo(Type type, CustomAttributeData cmdlet)
{
    public Type Type { get; } = type;
    public string Verb { get; } = (string)cmdlet.ConstructorArguments[0].Value!;
    public string Noun { get; } = (string)cmdlet.ConstructorArguments[1].Value!;
    public string Name => $"{Verb}-{Noun}";
    public bool SupportsShouldProcess { get; } = CmdletMetadata.Named(cmdlet, "SupportsShouldProcess", false);
    /// <summary>ConfirmImpact as its enum's underlying value (the stub enum has the real values); Medium when not set.</summary>
    public int ConfirmImpact { get; } = CmdletMetadata.Named<int>(cmdlet, "ConfirmImpact", 2);
    public string? DefaultParameterSetName { get; } = CmdletMetadata.Named<string>(cmdlet, "DefaultParameterSetName");

    public IReadOnlyList<ParameterInfo> Parameters { get; } =
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(p => CmdletMetadata.Attrs(p, "ParameterAttribute").Select(a => new ParameterInfo(p, a)))
            .ToList();

    public IEnumerable<string> ParameterNames => Parameters.Select(p => p.Name).Distinct();

    public ParameterInfo? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    public override string ToString() => Name;
}

/// <summary>One [Parameter] attribute of a cmdlet property.</summary>
internal sealed class ParameterInfo(PropertyInfo property, CustomAttributeData parameter)
{
    public PropertyInfo Property { get; } = property;
    public string Name => Property.Name;
    public Type Type => Property.PropertyType;
    public bool Mandatory { get; } = CmdletMetadata.Named(parameter, "Mandatory", false);
    public int Position { get; } = CmdletMetadata.Named(parameter, "Position", int.MinValue);
    public bool ByValue { get; } = CmdletMetadata.Named(parameter, "ValueFromPipeline", false);
    public bool ByPropertyName { get; } = CmdletMetadata.Named(parameter, "ValueFromPipelineByPropertyName", false);
    public string ParameterSetName { get; } = CmdletMetadata.Named(parameter, "ParameterSetName", CmdletMetadata.AllSets)!;

    public IReadOnlyList<string> Aliases { get; } =
        CmdletMetadata.Attrs(property, "AliasAttribute").SelectMany(CmdletMetadata.CtorValues).Cast<string>().ToList();

    public bool SupportsWildcards => CmdletMetadata.Attr(Property, "SupportsWildcardsAttribute") is not null;

    public Type? Completer => CmdletMetadata.Attr(Property, "ArgumentCompleterAttribute") is { } a
        ? a.ConstructorArguments.Select(x => x.Value).OfType<Type>().FirstOrDefault() : null;

    public bool HasNamespaceTransformation =>
        Property.GetCustomAttributesData().Any(a => a.AttributeType == typeof(global::NetNs.NamespaceTransformationAttribute));

    /// <summary>The name and its aliases: what a property of a piped object may be called to bind.</summary>
    public IEnumerable<string> BindingNames => Aliases.Prepend(Name);
}
