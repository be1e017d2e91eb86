using System.Xml.Linq;
using System.Reflection;
using NetNs.Core;
using static NetNs.Tests.CmdletMetadata;

namespace NetNs.Tests;

/// <summary>
/// The documented pipelines: the output object of one cmdlet must bind into the next. Checked on the metadata
/// alone: the properties of the output type (plus the alias properties module/NetNs.Types.ps1xml adds) against
/// the names and aliases of the target's ValueFromPipelineByPropertyName parameters.
/// </summary>
public class PipelineContractTests
{
    /// <summary>Source type, target cmdlet, the parameters that must bind by property name (empty: binds by value).</summary>
    public static TheoryData<Type, string, string[]> Contracts() => new()
    {
        { typeof(NetNsLink), "Set-NetNsLink", ["Name", "Namespace"] },
        { typeof(NetNsLink), "Remove-NetNsLink", ["Name", "Namespace"] },
        { typeof(NetNsLink), "Get-NetNsAddress", ["InterfaceAlias", "Namespace"] },
        { typeof(VethPair), "Add-BridgePort", ["Name", "Namespace"] },
        { typeof(NetNamespace), "Remove-NetNamespace", ["Name"] },
        { typeof(NetNamespace), "Get-NetNsLink", [] },
        { typeof(NetNamespace), "Get-BridgePort", [] },
        { typeof(NetNsAddress), "Remove-NetNsAddress", ["IPAddress", "PrefixLength", "InterfaceAlias", "Namespace"] },
        { typeof(NetNsAddress), "Set-NetNsAddress", ["IPAddress", "PrefixLength", "InterfaceAlias", "Namespace"] },
        { typeof(NetNsRoute), "Remove-NetNsRoute", ["DestinationPrefix", "NextHop", "InterfaceAlias", "RouteMetric", "Namespace"] },
        { typeof(NetNsRoute), "New-NetNsRoute", ["DestinationPrefix", "NextHop", "InterfaceAlias", "RouteMetric", "Namespace"] },
        { typeof(BridgePort), "Remove-BridgePort", ["Name", "Bridge", "Namespace"] },
    };

    /// <summary>Property names an object of the type shows in PowerShell, with their .NET types.</summary>
    private static Dictionary<string, Type> Properties(Type source)
    {
        var props = source.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => p.Name, p => p.PropertyType, StringComparer.OrdinalIgnoreCase);
        var xml = System.Xml.Linq.XDocument.Load(Path.Combine(RepoRoot, "module", "NetNs.Types.ps1xml"));
        foreach (var t in xml.Root!.Elements("Type").Where(t => (string)t.Element("Name")! == source.FullName))
        {
            foreach (var a in t.Elements("Members").Elements("AliasProperty"))
            {
                string target = (string)a.Element("ReferencedMemberName")!;
                Assert.True(props.ContainsKey(target), $"NetNs.Types.ps1xml: {source.Name}.{a.Element("Name")!.Value} refers to a missing {target}");
                props[(string)a.Element("Name")!] = props[target];
            }
        }
        return props;
    }

    /// <summary>Whether a value of the source property's type can bind to the parameter (as PowerShell would convert it).</summary>
    private static bool Compatible(Type source, ParameterInfo p)
    {
        static Type Core(Type t) => Nullable.GetUnderlyingType(t) ?? (t.IsArray ? t.GetElementType()! : t);
        Type s = Core(source), d = Core(p.Type);
        if (s == d || d == typeof(string) || d == typeof(object))
            return true;
        if (p.HasNamespaceTransformation)
            return s == typeof(string);
        bool Numeric(Type t) => t.IsPrimitive && t != typeof(bool) && t != typeof(char);
        return Numeric(s) && Numeric(d);
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void OutputBindsToTheNextCmdlet(Type source, string target, string[] mustBind)
    {
        var cmdlet = Cmdlet(target);
        var props = Properties(source);

        // Every by-property-name parameter the object can bind must bind to a value of a usable type.
        var bound = new Dictionary<string, string>();
        foreach (var p in cmdlet.Parameters.Where(p => p.ByPropertyName))
        {
            string? match = p.BindingNames.FirstOrDefault(props.ContainsKey);
            if (match is null)
                continue;
            Assert.True(Compatible(props[match], p), $"{source.Name}.{match} ({props[match].Name}) cannot bind to {target} -{p.Name} ({p.Type.Name})");
            bound[p.Name] = match;
        }

        // The parameters the pipeline needs bind by property name.
        foreach (string name in mustBind)
        {
            var p = cmdlet.Parameter(name);
            Assert.True(p is not null, $"{target} has no -{name}");
            Assert.True(p!.ByPropertyName, $"{target} -{name} does not take ValueFromPipelineByPropertyName");
            Assert.True(bound.ContainsKey(name), $"{source.Name} has no property {string.Join(" or ", p.BindingNames)} for {target} -{name}");
        }

        if (mustBind.Length == 0)
        {
            // By value: a ValueFromPipeline parameter that turns the object into a namespace.
            Assert.Contains(cmdlet.Parameters, p => p.ByValue && p.HasNamespaceTransformation);
        }
        else
        {
            // No mandatory by-property-name parameter is left unbound (the pipeline would prompt or fail);
            // mandatory parameters that do not take pipeline input are given on the command line.
            foreach (var p in cmdlet.Parameters.Where(p => p.Mandatory && p.ByPropertyName && !p.ByValue))
                Assert.True(bound.ContainsKey(p.Name), $"{target} -{p.Name} is mandatory but {source.Name} does not bind it");
        }
    }

    [Fact]
    public void EveryByPropertyNameParameterOfATargetIsFedByItsSources()
    {
        // For each target cmdlet of the contracts, every parameter that takes ValueFromPipelineByPropertyName
        // (and not also the whole object by value) has a matching property on some object piped into it.
        foreach (var group in Contracts().Select(row => ((Type)row[0], (string)row[1])).GroupBy(x => x.Item2))
        {
            var sources = group.Select(x => Properties(x.Item1)).ToList();
            foreach (var p in Cmdlet(group.Key).Parameters.Where(p => p.ByPropertyName && !p.ByValue))
                Assert.True(sources.Any(props => p.BindingNames.Any(props.ContainsKey)),
                    $"{group.Key} -{p.Name} binds by property name, but none of {string.Join(", ", group.Select(x => x.Item1.Name))} has {string.Join(" or ", p.BindingNames)}");
        }
    }

    [Fact]
    public void TypesFileAliasesPointAtRealProperties()
    {
        foreach (var type in new[] { typeof(NetNsLink), typeof(VethPair), typeof(BridgePort), typeof(NetNsAddress), typeof(NetNsRoute), typeof(NetNamespace) })
            _ = Properties(type); // asserts inside
        Assert.Contains("InterfaceAlias", TypeAliases[typeof(NetNsLink).FullName!]);
    }
}
