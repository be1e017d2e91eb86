using System.Net;

namespace NetNs.Core;

// The keys of labs across hosts: Hosts (the machines), Vxlan (the lab's VXLAN settings), a network's Vxlan (its
// port to other hosts, as a per-host part of a lab is given it by LabHostSplitter).
public sealed partial class LabDefinitionReader
{
    private static readonly string[] HostKeys = ["HostName", "UserName", "KeyFilePath", "Port", "Address", "Options"];
    private static readonly string[] LabVxlanKeys = ["Port", "Address"];
    private static readonly string[] NetworkVxlanKeys = ["Id", "Local", "Remotes", "Port"];

    private List<LabHostDefinition> ReadHosts(DefinitionValue value) =>
        Map(value, "Hosts", null, "Hosts").Select(kv => ReadHost(kv.Key, kv.Value)).OrderBy(h => h.Name, StringComparer.Ordinal).ToList();

    private LabHostDefinition ReadHost(string name, DefinitionValue value)
    {
        string key = "Hosts." + name;
        var m = Map(value, key, HostKeys, key);
        IPAddress? address = null;
        if (m.TryGetValue("Address", out var a))
        {
            string text = Text(a, key + ".Address");
            if (!IPPrefix.TryParseAddress(text, out var ip))
                throw Error(key + ".Address", $"'{text}' is not an IPv4 or IPv6 address");
            address = ip;
        }
        return new LabHostDefinition
        {
            Name = name,
            HostName = Text(Required(m, "HostName", key), key + ".HostName"),
            UserName = m.TryGetValue("UserName", out var u) ? Text(u, key + ".UserName") : null,
            KeyFilePath = m.TryGetValue("KeyFilePath", out var k) ? Text(k, key + ".KeyFilePath") : null,
            Port = m.TryGetValue("Port", out var p) ? Port(p, key + ".Port") : null,
            Address = address,
            Options = m.TryGetValue("Options", out var o)
                ? Map(o, key + ".Options", null, key + ".Options").Select(kv => new KeyValuePair<string, string>(kv.Key, ScalarText(kv.Value, $"{key}.Options.{kv.Key}")))
                    .OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList()
                : [],
        };
    }

    private int? ReadVxlanPort(DefinitionValue value)
    {
        var m = Map(value, "Vxlan", LabVxlanKeys, "Vxlan");
        return m.TryGetValue("Port", out var p) ? Port(p, "Vxlan.Port") : null;
    }

    private IPAddress? ReadVxlanAddress(DefinitionValue value)
    {
        var m = Map(value, "Vxlan", LabVxlanKeys, "Vxlan");
        if (!m.TryGetValue("Address", out var a))
            return null;
        string text = Text(a, "Vxlan.Address");
        return IPPrefix.TryParseAddress(text, out var ip) ? ip : throw Error("Vxlan.Address", $"'{text}' is not an IPv4 or IPv6 address");
    }

    private LabVxlanDefinition ReadNetworkVxlan(DefinitionValue value, string key)
    {
        var m = Map(value, key, NetworkVxlanKeys, key);
        int id = Int(Required(m, "Id", key), key + ".Id");
        if (id > 0xFFFFFF)
            throw Error(key + ".Id", $"a VXLAN id (VNI) is 1 to 16777215, not {id}");
        IPAddress Address(DefinitionValue v, string k)
        {
            string text = Text(v, k);
            return IPPrefix.TryParseAddress(text, out var ip) ? ip : throw Error(k, $"'{text}' is not an IPv4 or IPv6 address");
        }
        var local = Address(Required(m, "Local", key), key + ".Local");
        var remotes = ReadAddresses(Required(m, "Remotes", key), key + ".Remotes", Address);
        if (remotes.Count == 0)
            throw Error(key + ".Remotes", "a VXLAN port needs at least one remote address");
        if (remotes.Any(r => r.AddressFamily != local.AddressFamily))
            throw Error(key + ".Remotes", $"the remote addresses must be of the local address {local}'s family");
        if (remotes.Any(r => r.Equals(local)) || remotes.Distinct().Count() != remotes.Count)
            throw Error(key + ".Remotes", "the remote addresses must differ from each other and from the local one");
        int port = m.TryGetValue("Port", out var p) ? Port(p, key + ".Port") : LabVxlanDefinition.DefaultPort;
        return new LabVxlanDefinition(id, local, remotes, port);
    }

    private List<IPAddress> ReadAddresses(DefinitionValue value, string key, Func<DefinitionValue, string, IPAddress> read) =>
        value.IsList ? value.Items!.Select((v, i) => read(v, $"{key}[{i}]")).ToList() : [read(value, key)];

    private int Port(DefinitionValue value, string key)
    {
        int port = Int(value, key);
        return port <= 65535 ? port : throw Error(key, $"a port is 1 to 65535, not {port}");
    }
}
