using System.Management.Automation;
using NetNs.Core;

namespace NetNs;

/// <summary>
/// Turns what a user passes to -Namespace into a <see cref="NamespaceRef"/>: a name, a namespace file path,
/// a process id (a number, or a Process object), a NetNamespace, or any NetNs object that carries a
/// Namespace property. Null or empty means the caller's own namespace.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class NamespaceTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>
    /// Hand a script block through unchanged (for a parameter typed object, which PowerShell then binds without
    /// running it as a delay-bind script block): Invoke-InNetNamespace { ... } puts the block first.
    /// </summary>
    public bool PassScriptBlocks { get; set; }

    /// <summary>For a parameter typed NamespaceRef[]: each item of a list is converted (a single value gives one).</summary>
    public bool Many { get; set; }

    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        if (PassScriptBlocks && (inputData is ScriptBlock || inputData is PSObject { BaseObject: ScriptBlock }))
            return inputData;
        if (Many)
        {
            object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
            return value is System.Collections.IList list
                ? list.Cast<object?>().Select(item => (NamespaceRef)Convert(item)).ToArray()
                : new[] { (NamespaceRef)Convert(inputData) };
        }
        return Convert(inputData);
    }

    /// <summary>The conversion itself (also used for -PeerNamespace and -NewNamespace).</summary>
    public static object Convert(object? input)
    {
        if (input is PSObject pso)
        {
            if (pso.BaseObject is not PSCustomObject)
                return ConvertBase(pso.BaseObject, pso);
            return ConvertBase(null, pso);
        }
        return ConvertBase(input, null);
    }

    private static object ConvertBase(object? value, PSObject? wrapper)
    {
        try
        {
            switch (value)
            {
                case null when wrapper is null:
                    return NamespaceRef.Current;
                case NamespaceRef r:
                    return r;
                case string s:
                    return NamespaceRef.Parse(s);
                case int or long or uint or short:
                    return NamespaceRef.FromProcessId(System.Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                case NetNamespace ns:
                    return ns.Name is not null ? NamespaceRef.FromName(ns.Name) : NamespaceRef.FromPath(ns.Path);
                case NamespaceHandle h:
                    return h.Name is not null ? NamespaceRef.FromName(h.Name) : NamespaceRef.FromPath(h.Path);
                case System.Diagnostics.Process p:
                    return NamespaceRef.FromProcessId(p.Id);
                case NetNsLink l:
                    return NamespaceRef.Parse(l.Namespace);
                case VethPair v:
                    return NamespaceRef.Parse(v.Namespace);
                case BridgePort b:
                    return NamespaceRef.Parse(b.Namespace);
                case NetNsAddress a:
                    return NamespaceRef.Parse(a.Namespace);
                case NetNsRoute rt:
                    return NamespaceRef.Parse(rt.Namespace);
            }
            // A lab is many namespaces, none of them "the" namespace: handed on unconverted, so that piped by value
            // it fails to bind here and binds by property name to a parameter that takes it (Get-NetNsNetwork -Lab).
            if (value is LabInfo)
                return value;
            // Any other object with a Namespace property (e.g. a custom object from Import-Csv).
            var prop = (wrapper ?? PSObject.AsPSObject(value!)).Properties["Namespace"];
            if (prop is not null)
                return ConvertBase(prop.Value is PSObject inner ? inner.BaseObject : prop.Value, null);
        }
        catch (NetNsException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
        throw new ArgumentTransformationMetadataException(
            $"Cannot use a {value?.GetType().Name ?? "object"} as a namespace: give a name, a namespace file path, a process id, or a NetNs object.");
    }
}
