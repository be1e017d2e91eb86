using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace NetNs.Core;

/// <summary>
/// One value of a lab definition as it was written, before it is read into a <see cref="LabDefinition"/>: a scalar
/// (string, bool, long, double), a list, or a map of keys in the order written, each with the line it came from
/// when the source has lines (a .psd1 file). Built from a dictionary graph (a PowerShell hashtable), JSON, or by
/// the module's .psd1 reader from the PowerShell parser's AST.
/// </summary>
public sealed class DefinitionValue
{
    private DefinitionValue(object? scalar, List<DefinitionValue>? items, List<KeyValuePair<string, DefinitionValue>>? entries, int? line)
    {
        Scalar = scalar;
        Items = items;
        Entries = entries;
        Line = line;
    }

    /// <summary>The scalar (string, bool, long, double), or null for a list, a map or $null.</summary>
    public object? Scalar { get; }

    /// <summary>The elements, when this is a list.</summary>
    public IReadOnlyList<DefinitionValue>? Items { get; }

    /// <summary>The keys and values in the order written, when this is a map.</summary>
    public IReadOnlyList<KeyValuePair<string, DefinitionValue>>? Entries { get; }

    /// <summary>The 1-based line of the source it came from, when known.</summary>
    public int? Line { get; }

    /// <summary>Whether it is a map.</summary>
    public bool IsMap => Entries is not null;

    /// <summary>Whether it is a list.</summary>
    public bool IsList => Items is not null;

    /// <summary>A scalar (string, bool, integer or floating number; null is $null).</summary>
    public static DefinitionValue OfScalar(object? value, int? line = null) => new(value switch
    {
        null or string or bool or long or double => value,
        int or short or byte or sbyte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        char c => c.ToString(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    }, null, null, line);

    /// <summary>A list.</summary>
    public static DefinitionValue OfList(IEnumerable<DefinitionValue> items, int? line = null) => new(null, items.ToList(), null, line);

    /// <summary>A map, keys in the order given.</summary>
    public static DefinitionValue OfMap(IEnumerable<KeyValuePair<string, DefinitionValue>> entries, int? line = null) =>
        new(null, null, entries.ToList(), line);

    /// <summary>
    /// Reads a graph of dictionaries (keys as strings), enumerables and scalars, e.g. a PowerShell hashtable;
    /// <paramref name="unwrap"/> may replace each object first (PSObject to its base object).
    /// </summary>
    public static DefinitionValue FromObject(object? value, Func<object, object>? unwrap = null)
    {
        if (value is not null && unwrap is not null)
            value = unwrap(value);
        switch (value)
        {
            case null or string:
                return OfScalar(value);
            case IDictionary map:
                var entries = new List<KeyValuePair<string, DefinitionValue>>();
                foreach (DictionaryEntry e in map)
                {
                    object key = unwrap is null ? e.Key : unwrap(e.Key);
                    entries.Add(new(Convert.ToString(key, CultureInfo.InvariantCulture) ?? "", FromObject(e.Value, unwrap)));
                }
                // A hashtable has no order: sort the keys so the same definition always reads the same way.
                if (map is Hashtable)
                    entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
                return OfMap(entries);
            case IEnumerable list:
                return OfList(list.Cast<object?>().Select(o => FromObject(o, unwrap)).ToList());
            default:
                return OfScalar(value);
        }
    }

    /// <summary>Reads JSON with the same keys as a .psd1 definition; InvalidArgument when it is not JSON.</summary>
    public static DefinitionValue FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return FromJson(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw NetNsException.Invalid("read lab definition", "", $"the lab definition is not valid JSON: {e.Message}");
        }
    }

    private static DefinitionValue FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => OfMap(e.EnumerateObject().Select(p => new KeyValuePair<string, DefinitionValue>(p.Name, FromJson(p.Value)))),
        JsonValueKind.Array => OfList(e.EnumerateArray().Select(FromJson)),
        JsonValueKind.String => OfScalar(e.GetString()),
        JsonValueKind.True => OfScalar(true),
        JsonValueKind.False => OfScalar(false),
        JsonValueKind.Number => e.TryGetInt64(out long l) ? OfScalar(l) : OfScalar(e.GetDouble()),
        _ => OfScalar(null),
    };
}
