using System.Globalization;
using System.Net;

namespace NetNs.Core;

/// <summary>
/// Reads a <see cref="DefinitionValue"/> tree into a <see cref="LabDefinition"/> and validates all of it (see
/// <see cref="LabDefinitionValidator"/>) before anything is touched. Every problem is one InvalidArgument error
/// naming the key ("Networks.lan.Subnet") and, for a .psd1 file, "FILE:LINE".
/// </summary>
public sealed partial class LabDefinitionReader
{
    private static readonly string[] TopKeys = ["Name", "Nodes", "Networks", "Links", "Nat", "Hosts", "Vxlan"];
    private static readonly string[] NodeKeys = ["Forwarding", "Sysctls", "Routes", "Container", "Host"];
    private static readonly string[] NetworkKeys = ["Subnet", "Members", "Gateway", "Mtu", "Interface", "Vxlan", .. LabImpairments.Keys];
    private static readonly string[] MemberKeys = ["Node", "Address", .. LabImpairments.Keys];
    private static readonly string[] LinkKeys = ["Endpoints", "Subnet", "Mtu", .. LabImpairments.Keys];

    private readonly string? _source;
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    private LabDefinitionReader(string? source) => _source = source;

    /// <summary>Reads and validates a definition; <paramref name="source"/> (a file path) prefixes error messages.</summary>
    public static LabDefinition Read(DefinitionValue root, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var reader = new LabDefinitionReader(source);
        var definition = reader.ReadTop(root);
        new LabDefinitionValidator(reader.Error).Validate(definition);
        return definition;
    }

    /// <summary>
    /// The same definition deployed under another lab name (for parallel runs of one file, or tests); the whole
    /// definition is checked again with the new name.
    /// </summary>
    public static LabDefinition Rename(LabDefinition definition, string name)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (string.IsNullOrEmpty(name))
            throw NetNsException.Invalid("read lab definition", "Name", "Name: a lab name cannot be empty");
        var renamed = new LabDefinition { Name = name, Nodes = definition.Nodes, Networks = definition.Networks, Links = definition.Links, Nat = definition.Nat, Hosts = definition.Hosts, VxlanPort = definition.VxlanPort, VxlanAddress = definition.VxlanAddress };
        new LabDefinitionValidator(new LabDefinitionReader(null).Error).Validate(renamed);
        return renamed;
    }

    /// <summary>The error for <paramref name="key"/>, with the file and line where it was written when known.</summary>
    internal NetNsException Error(string key, string why)
    {
        int? line = LineOf(key);
        string where = (_source, line) switch
        {
            (not null, not null) => $"{_source}:{line}: ",
            (not null, null) => $"{_source}: ",
            (null, not null) => $"line {line}: ",
            _ => "",
        };
        return NetNsException.Invalid("read lab definition", key, $"{where}{key}: {why}");
    }

    private int? LineOf(string key)
    {
        // The key itself, or the nearest enclosing key that has a line.
        for (string k = key; k.Length > 0; k = k.LastIndexOf('.') is int dot and > 0 ? k[..dot] : "")
        {
            if (_lines.TryGetValue(k, out int line))
                return line;
            int bracket = k.LastIndexOf('[');
            if (bracket > 0 && k.EndsWith(']') && _lines.TryGetValue(k[..bracket], out line))
                return line;
        }
        return null;
    }

    private LabDefinition ReadTop(DefinitionValue root)
    {
        var top = Map(root, "", TopKeys, "the lab definition");
        string name = Text(Required(top, "Name", ""), "Name");
        var nodes = Map(Required(top, "Nodes", ""), "Nodes", null, "Nodes").Select(kv => ReadNode(kv.Key, kv.Value)).ToList();
        var networks = top.TryGetValue("Networks", out var nw)
            ? Map(nw, "Networks", null, "Networks").Select(kv => ReadNetwork(kv.Key, kv.Value)).ToList() : [];
        var links = top.TryGetValue("Links", out var ln) ? List(ln, "Links").Select((v, i) => ReadLink(v, $"Links[{i}]")).ToList() : [];
        var nat = top.TryGetValue("Nat", out var nt)
            ? Map(nt, "Nat", null, "Nat").Select(kv => new LabNatDefinition(kv.Key, Text(kv.Value, "Nat." + kv.Key))).ToList() : [];
        return new LabDefinition
        {
            Name = name,
            Nodes = nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToList(),
            Networks = networks.OrderBy(n => n.Name, StringComparer.Ordinal).ToList(),
            Links = links,
            Nat = nat,
            Hosts = top.TryGetValue("Hosts", out var h) ? ReadHosts(h) : [],
            VxlanPort = top.TryGetValue("Vxlan", out var vx) ? ReadVxlanPort(vx) : null,
            VxlanAddress = top.TryGetValue("Vxlan", out var vxa) ? ReadVxlanAddress(vxa) : null,
        };
    }

    private LabNodeDefinition ReadNode(string name, DefinitionValue value)
    {
        string key = "Nodes." + name;
        if (value.Scalar is null && !value.IsMap && !value.IsList)
            return new LabNodeDefinition { Name = name }; // h1 = $null
        var m = Map(value, key, NodeKeys, key);
        return new LabNodeDefinition
        {
            Name = name,
            Forwarding = m.TryGetValue("Forwarding", out var f) && Bool(f, key + ".Forwarding"),
            Sysctls = m.TryGetValue("Sysctls", out var s)
                ? Map(s, key + ".Sysctls", null, key + ".Sysctls").Select(kv => new KeyValuePair<string, string>(kv.Key, ScalarText(kv.Value, $"{key}.Sysctls.{kv.Key}")))
                    .OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList()
                : [],
            Routes = m.TryGetValue("Routes", out var r)
                ? Map(r, key + ".Routes", null, key + ".Routes").Select(kv => ReadRoute(kv.Key, kv.Value, $"{key}.Routes.{kv.Key}")).ToList()
                : [],
            Container = m.TryGetValue("Container", out var c) ? Text(c, key + ".Container") : null,
            Host = m.TryGetValue("Host", out var host) ? Text(host, key + ".Host") : null,
        };
    }

    private LabRouteDefinition ReadRoute(string destination, DefinitionValue via, string key)
    {
        string viaText = Text(via, key);
        if (!IPPrefix.TryParseAddress(viaText, out var gateway))
            throw Error(key, $"the next hop '{viaText}' is not an IPv4 or IPv6 address");
        var family = gateway.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddressFamily.IPv6 : IPAddressFamily.IPv4;
        if (!IPPrefix.TryParse(destination, out var dst, out string? why, family))
            throw Error(key, why);
        if (!dst.Network.Address.Equals(dst.Address))
            throw Error(key, $"the destination '{destination}' has host bits set: the network is {dst.Network}");
        if (dst.Family != family)
            throw Error(key, $"the next hop {gateway} is not of the destination {dst}'s family");
        return new LabRouteDefinition(dst, gateway);
    }

    private LabNetworkDefinition ReadNetwork(string name, DefinitionValue value)
    {
        string key = "Networks." + name;
        var m = Map(value, key, NetworkKeys, key);
        var members = m.TryGetValue("Members", out var mv)
            ? (mv.IsList ? mv.Items! : [mv]).Select((v, i) => ReadMember(v, mv.IsList ? $"{key}.Members[{i}]" : key + ".Members")).ToList()
            : [];
        return new LabNetworkDefinition
        {
            Name = name,
            Subnets = Subnets(Required(m, "Subnet", key), key + ".Subnet"),
            Members = members,
            Gateway = m.TryGetValue("Gateway", out var g) ? Text(g, key + ".Gateway") : null,
            Mtu = m.TryGetValue("Mtu", out var mtu) ? Int(mtu, key + ".Mtu") : null,
            Interface = m.TryGetValue("Interface", out var i) ? Text(i, key + ".Interface") : name,
            Impairment = LabImpairments.Read(m, key, Error),
            Vxlan = m.TryGetValue("Vxlan", out var vx) ? ReadNetworkVxlan(vx, key + ".Vxlan") : null,
        };
    }

    // A member is "node", "node=198.18.40.10[,2001:db8::10]", or @{ Node = 'node'; Address = …; Rate = '10mbit'; … }.
    private LabMemberDefinition ReadMember(DefinitionValue value, string key)
    {
        if (!value.IsMap)
            return ReadMember(Text(value, key), key);
        var m = Map(value, key, MemberKeys, key);
        string node = Text(Required(m, "Node", key), key + ".Node");
        if (node.Contains('='))
            throw Error(key + ".Node", $"'{node}' is a node name; give its addresses as Address = '198.18.40.10'");
        var pinned = new List<IPAddress>();
        if (m.TryGetValue("Address", out var av))
        {
            foreach (string part in Strings(av, key + ".Address"))
            {
                if (!IPPrefix.TryParseAddress(part.Trim(), out var a))
                    throw Error(key + ".Address", $"'{part}' is not an IPv4 or IPv6 address");
                pinned.Add(a);
            }
        }
        return new LabMemberDefinition(node, pinned, LabImpairments.Read(m, key, Error));
    }

    private LabMemberDefinition ReadMember(string text, string key)
    {
        int eq = text.IndexOf('=');
        if (eq < 0)
            return new LabMemberDefinition(text, []);
        var pinned = new List<IPAddress>();
        foreach (string part in text[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries))
        {
            if (!IPPrefix.TryParseAddress(part, out var a))
                throw Error(key, $"'{part}' in '{text}' is not an IPv4 or IPv6 address (write 'node=198.18.40.10')");
            pinned.Add(a);
        }
        return new LabMemberDefinition(text[..eq].Trim(), pinned);
    }

    private LabLinkDefinition ReadLink(DefinitionValue value, string key)
    {
        var m = Map(value, key, LinkKeys, key);
        var ends = Strings(Required(m, "Endpoints", key), key + ".Endpoints");
        if (ends.Count != 2)
            throw Error(key + ".Endpoints", $"a link has exactly two endpoints ('node:interface', 'node:interface'), not {ends.Count}");
        return new LabLinkDefinition
        {
            A = Endpoint(ends[0], key + ".Endpoints[0]"),
            B = Endpoint(ends[1], key + ".Endpoints[1]"),
            Subnets = m.TryGetValue("Subnet", out var s) ? Subnets(s, key + ".Subnet") : [],
            Mtu = m.TryGetValue("Mtu", out var mtu) ? Int(mtu, key + ".Mtu") : null,
            Impairment = LabImpairments.Read(m, key, Error),
        };
    }

    private LabEndpoint Endpoint(string text, string key)
    {
        string[] parts = text.Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            throw Error(key, $"'{text}' is not 'node:interface'");
        return new LabEndpoint(parts[0], parts[1]);
    }

    private List<IPPrefix> Subnets(DefinitionValue value, string key)
    {
        var result = new List<IPPrefix>();
        foreach (string text in Strings(value, key))
        {
            if (!IPPrefix.TryParse(text, out var p, out string? why) || text.Trim().Equals("default", StringComparison.OrdinalIgnoreCase))
                throw Error(key, why ?? $"'{text}' is not a subnet");
            if (!p.Network.Address.Equals(p.Address))
                throw Error(key, $"the subnet '{text}' has host bits set: the network is {p.Network}");
            if (result.Any(r => r.Family == p.Family))
                throw Error(key, $"at most one {p.Family} subnet per network or link (got a second: {p})");
            result.Add(p);
        }
        return result;
    }

    // ---- shape checks ----

    private Dictionary<string, DefinitionValue> Map(DefinitionValue value, string key, string[]? allowed, string what)
    {
        Remember(key, value);
        if (!value.IsMap)
            throw Error(key, $"{(key.Length == 0 ? what : key)} must be a hashtable (@{{ … }}), not {Describe(value)}");
        var result = new Dictionary<string, DefinitionValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in value.Entries!)
        {
            string path = key.Length == 0 ? k : key + "." + k;
            Remember(path, v);
            string? canonical = allowed is null ? k : allowed.FirstOrDefault(a => a.Equals(k, StringComparison.OrdinalIgnoreCase));
            if (canonical is null)
                throw Error(path, $"unknown key '{k}' (allowed: {string.Join(", ", allowed!)})");
            if (!result.TryAdd(canonical, v))
                throw Error(path, $"the key '{k}' is given twice");
        }
        return result;
    }

    private DefinitionValue Required(Dictionary<string, DefinitionValue> map, string name, string parent) =>
        map.TryGetValue(name, out var v) ? v : throw Error(parent.Length == 0 ? name : parent + "." + name, "is required");

    private IReadOnlyList<DefinitionValue> List(DefinitionValue value, string key) =>
        value.IsList ? value.Items! : value.IsMap ? [value] : throw Error(key, $"must be a list (@( … )), not {Describe(value)}");

    private List<string> Strings(DefinitionValue value, string key) => value.IsList
        ? value.Items!.Select((v, i) => Text(v, $"{key}[{i}]")).ToList()
        : [Text(value, key)];

    private string Text(DefinitionValue value, string key)
    {
        Remember(key, value);
        return value.Scalar is string s && s.Length > 0 ? s : throw Error(key, $"must be a non-empty string, not {Describe(value)}");
    }

    private string ScalarText(DefinitionValue value, string key) => value.Scalar switch
    {
        string s => s,
        bool b => b ? "1" : "0",
        long or double => Convert.ToString(value.Scalar, CultureInfo.InvariantCulture)!,
        _ => throw Error(key, $"must be a value (string or number), not {Describe(value)}"),
    };

    private bool Bool(DefinitionValue value, string key) =>
        value.Scalar is bool b ? b : throw Error(key, $"must be $true or $false, not {Describe(value)}");

    private int Int(DefinitionValue value, string key) =>
        value.Scalar is long l && l is > 0 and <= int.MaxValue ? (int)l : throw Error(key, $"must be a positive whole number, not {Describe(value)}");

    private void Remember(string key, DefinitionValue value)
    {
        if (value.Line is int line)
            _lines.TryAdd(key, line);
    }

    private static string Describe(DefinitionValue v) => v switch
    {
        { IsMap: true } => "a hashtable",
        { IsList: true } => "a list",
        { Scalar: null } => "$null",
        { Scalar: string s } => $"'{s}'",
        { Scalar: bool b } => b ? "$true" : "$false",
        _ => Convert.ToString(v.Scalar, CultureInfo.InvariantCulture)!,
    };
}
