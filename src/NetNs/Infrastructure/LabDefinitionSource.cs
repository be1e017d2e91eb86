using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using NetNs.Core;

namespace NetNs;

/// <summary>
/// Where the lab cmdlets get a definition: a .psd1 file (read with the PowerShell parser, constants only, nothing
/// run, each key with its line), a .json file, a hashtable, a JSON string, a LabInfo (Get-NetNsLab), or a
/// LabDefinition. The PowerShell side of <see cref="LabDefinitionReader"/>, which does all the checking.
/// </summary>
internal static class LabDefinitionSource
{
    /// <summary>
    /// The definition a lab cmdlet was given: the file at <paramref name="fullPath"/> when not null, else
    /// <paramref name="value"/>; renamed to <paramref name="name"/> when that is neither null nor empty.
    /// </summary>
    public static LabDefinition Load(string? fullPath, object? value, string? name)
    {
        var definition = fullPath is not null ? FromFile(fullPath) : FromObject(value!);
        return string.IsNullOrEmpty(name) ? definition : LabDefinitionReader.Rename(definition, name);
    }

    /// <summary>Reads and validates the definition in a file.</summary>
    public static LabDefinition FromFile(string path)
    {
        if (!File.Exists(path))
            throw new NetNsException(NetNsErrorReason.InvalidArgument, "read lab definition", $"the lab definition file '{path}' does not exist", path);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return LabDefinitionReader.Read(DefinitionValue.FromJson(File.ReadAllText(path)), path);
        var ast = Parser.ParseFile(path, out _, out ParseError[] errors);
        if (errors.Length > 0)
            throw Invalid(path, errors[0].Extent.StartLineNumber, errors[0].Message);
        var statements = ast.EndBlock?.Statements;
        if (ast.ParamBlock is not null || ast.BeginBlock is not null || ast.ProcessBlock is not null || statements is not { Count: 1 }
            || statements[0] is not PipelineAst pipe || pipe.GetPureExpression() is not HashtableAst table)
            throw Invalid(path, 1, "a lab definition file holds one hashtable, @{ Name = …; Nodes = @{ … } }, and nothing else");
        return LabDefinitionReader.Read(FromAst(table, path), path);
    }

    /// <summary>Reads and validates a definition given as an object.</summary>
    public static LabDefinition FromObject(object value)
    {
        if (value is PSObject { BaseObject: PSCustomObject } custom)
            return LabDefinitionReader.Read(DefinitionValue.FromObject(ToHashtable(custom), Unwrap));
        value = value is PSObject pso ? pso.BaseObject : value;
        return value switch
        {
            LabDefinition d => d,
            LabInfo info => info.Definition,
            string json => LabDefinitionReader.Read(DefinitionValue.FromJson(json)),
            IDictionary => LabDefinitionReader.Read(DefinitionValue.FromObject(value, Unwrap)),
            _ => throw new NetNsException(NetNsErrorReason.InvalidArgument, "read lab definition",
                $"-Definition takes a hashtable, a JSON string or a lab from Get-NetNsLab, not a {value.GetType().Name}", value.GetType().Name),
        };
    }

    private static object Unwrap(object o) => o switch
    {
        PSObject { BaseObject: PSCustomObject } p => ToHashtable(p),
        PSObject p => p.BaseObject,
        _ => o,
    };

    // ConvertFrom-Json gives PSCustomObjects: their properties, in order, as an ordered dictionary.
    private static IDictionary ToHashtable(PSObject p)
    {
        var d = new System.Collections.Specialized.OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var prop in p.Properties)
            d[prop.Name] = prop.Value;
        return d;
    }

    private static NetNsException Invalid(string path, int line, string why) =>
        NetNsException.Invalid("read lab definition", path, $"{path}:{line}: {why}");

    private static DefinitionValue FromAst(Ast ast, string path)
    {
        int line = ast.Extent.StartLineNumber;
        switch (ast)
        {
            case HashtableAst h:
                return DefinitionValue.OfMap(h.KeyValuePairs.Select(kv => new KeyValuePair<string, DefinitionValue>(
                    kv.Item1 is StringConstantExpressionAst k ? k.Value
                        : kv.Item1 is ConstantExpressionAst c ? Convert.ToString(c.Value, System.Globalization.CultureInfo.InvariantCulture) ?? ""
                        : throw Invalid(path, kv.Item1.Extent.StartLineNumber, $"a key must be a name or a quoted string, not {kv.Item1.Extent.Text}"),
                    WithLine(FromAst(Statement(kv.Item2, path), path), kv.Item1.Extent.StartLineNumber))), line);
            case ArrayLiteralAst a:
                return DefinitionValue.OfList(a.Elements.Select(e => FromAst(e, path)), line);
            case ArrayExpressionAst a:
                return DefinitionValue.OfList(a.SubExpression.Statements.SelectMany(s =>
                {
                    var v = FromAst(Statement(s, path), path);
                    return v.IsList ? v.Items! : [v];
                }), line);
            case ParenExpressionAst p:
                return FromAst(Statement(p.Pipeline, path), path);
            case StringConstantExpressionAst s:
                return DefinitionValue.OfScalar(s.Value, line);
            case ConstantExpressionAst c:
                return DefinitionValue.OfScalar(c.Value, line);
            case UnaryExpressionAst { TokenKind: TokenKind.Minus, Child: ConstantExpressionAst n } when n.Value is int i:
                return DefinitionValue.OfScalar(-i, line);
            case VariableExpressionAst v when v.VariablePath.UserPath.Equals("true", StringComparison.OrdinalIgnoreCase):
                return DefinitionValue.OfScalar(true, line);
            case VariableExpressionAst v when v.VariablePath.UserPath.Equals("false", StringComparison.OrdinalIgnoreCase):
                return DefinitionValue.OfScalar(false, line);
            case VariableExpressionAst v when v.VariablePath.UserPath.Equals("null", StringComparison.OrdinalIgnoreCase):
                return DefinitionValue.OfScalar(null, line);
            default:
                throw Invalid(path, line, $"only constants, @{{ }} and @( ) are allowed in a lab definition (nothing is run): '{ast.Extent.Text}'");
        }
    }

    // The key's line is where a value is reported (for a multi-line hashtable value the key line is what users look at).
    private static DefinitionValue WithLine(DefinitionValue v, int line) =>
        v.IsMap ? DefinitionValue.OfMap(v.Entries!, line) : v.IsList ? DefinitionValue.OfList(v.Items!, line) : DefinitionValue.OfScalar(v.Scalar, line);

    private static Ast Statement(StatementAst s, string path) =>
        s is PipelineAst p && p.GetPureExpression() is { } e ? e
            : throw Invalid(path, s.Extent.StartLineNumber, $"only constants, @{{ }} and @( ) are allowed in a lab definition (nothing is run): '{s.Extent.Text}'");
}
