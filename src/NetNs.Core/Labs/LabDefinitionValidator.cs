using System.Text;

namespace NetNs.Core;

/// <summary>
/// The checks on a whole definition that need more than one key: names the kernel takes (lengths in bytes),
/// members and endpoints that name existing nodes, interfaces unique per node, subnets that do not overlap,
/// gateways that are members, next hops on a node's own subnets, one default route per family, sysctl keys.
/// </summary>
internal sealed class LabDefinitionValidator(Func<string, string, NetNsException> fail)
{
    /// <summary>The longest lab name: it prefixes every namespace name and is written in every tag.</summary>
    public const int MaxLabNameBytes = 32;

    /// <summary>The longest container name or id a node may name (a Docker id is 64 hex digits).</summary>
    public const int MaxContainerBytes = 128;

    public void Validate(LabDefinition d)
    {
        CheckLabName(d.Name);
        if (d.Nodes.Count == 0)
            throw fail("Nodes", "a lab needs at least one node");
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in d.Nodes)
        {
            CheckMemberName(n.Name, "Nodes." + n.Name, "node", d.Name);
            members.Add(n.Name);
        }
        foreach (var n in d.Networks)
        {
            string key = "Networks." + n.Name;
            CheckMemberName(n.Name, key, "network", d.Name);
            if (!members.Add(n.Name))
                throw fail(key, $"'{n.Name}' is the name of a node too (both would be the namespace '{LabDefinition.NamespaceOf(d.Name, n.Name)}')");
        }

        var interfaces = d.Nodes.ToDictionary(n => n.Name, _ => new Dictionary<string, string>(StringComparer.Ordinal) { ["lo"] = "the loopback" });
        var subnets = new List<(IPPrefix Prefix, string Key)>();
        var connected = d.Nodes.ToDictionary(n => n.Name, _ => new List<IPPrefix>());
        var defaults = d.Nodes.ToDictionary(n => n.Name, _ => new Dictionary<IPAddressFamily, string>());

        foreach (var n in d.Networks)
            CheckNetwork(d, n, interfaces, subnets, connected, defaults);
        for (int i = 0; i < d.Links.Count; i++)
            CheckLink(d.Links[i], $"Links[{i}]", interfaces, subnets, connected);
        foreach (var n in d.Nodes)
            CheckNode(n, connected[n.Name], defaults[n.Name]);
        var containers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var n in d.Nodes.Where(n => n.Container is not null))
        {
            string key = $"Nodes.{n.Name}.Container";
            if (n.Container!.Length > MaxContainerBytes || !char.IsAsciiLetterOrDigit(n.Container[0])
                || !n.Container.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '.' or '-'))
                throw fail(key, $"'{n.Container}' is not a container name or id (letters, digits, '_', '.', '-'; at most {MaxContainerBytes})");
            if (containers.TryGetValue(n.Container, out string? other))
                throw fail(key, $"container '{n.Container}' is node '{other}' already");
            containers[n.Container] = n.Name;
            // The lab could not give these back on removal: they would change the container's own namespace.
            if (n.Forwarding)
                throw fail($"Nodes.{n.Name}.Forwarding", "a container node cannot set forwarding: the container's own sysctls are left alone");
            if (n.Sysctls.Count > 0)
                throw fail($"Nodes.{n.Name}.Sysctls", "a container node cannot set sysctls: the container's own sysctls are left alone");
            if (d.Nat.Any(x => x.Node == n.Name))
                throw fail("Nat." + n.Name, "a container node cannot masquerade: the container's own firewall is left alone");
        }
        new LabHostsValidator(fail).Validate(d);
        foreach (var nat in d.Nat)
        {
            if (!interfaces.TryGetValue(nat.Node, out var ifs))
                throw fail("Nat." + nat.Node, $"there is no node '{nat.Node}' (nodes: {string.Join(", ", d.Nodes.Select(x => x.Name))})");
            if (!ifs.ContainsKey(nat.Interface) || nat.Interface == "lo")
                throw fail("Nat." + nat.Node, $"node '{nat.Node}' has no interface '{nat.Interface}' (it has: {string.Join(", ", ifs.Keys.Where(k => k != "lo"))})");
        }
    }

    private void CheckNetwork(LabDefinition d, LabNetworkDefinition n, Dictionary<string, Dictionary<string, string>> interfaces,
        List<(IPPrefix, string)> subnets, Dictionary<string, List<IPPrefix>> connected, Dictionary<string, Dictionary<IPAddressFamily, string>> defaults)
    {
        string key = "Networks." + n.Name;
        if ((Names.InterfaceNameError(n.Interface) ?? Names.NewNameError(n.Interface, "interface")) is string bad)
            throw fail(key + ".Interface", bad);
        CheckMtu(n.Mtu, key + ".Mtu");
        if (n.Subnets.Count == 0)
            throw fail(key + ".Subnet", "a network needs a subnet");
        foreach (var s in n.Subnets)
            AddSubnet(subnets, s, key + ".Subnet");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < n.Members.Count; i++)
        {
            string node = n.Members[i].Node;
            string mkey = $"{key}.Members[{i}]";
            if (!interfaces.TryGetValue(node, out var ifs))
                throw fail(mkey, $"there is no node '{node}' (nodes: {string.Join(", ", d.Nodes.Select(x => x.Name))})");
            if (!seen.Add(node))
                throw fail(mkey, $"'{node}' is a member twice");
            AddInterface(ifs, node, n.Interface, mkey, $"network '{n.Name}'");
            connected[node].AddRange(n.Subnets);
            if (n.Gateway is not null && n.Gateway != node)
            {
                foreach (var s in n.Subnets)
                {
                    if (defaults[node].TryGetValue(s.Family, out string? other))
                        throw fail(mkey, $"'{node}' would get two {s.Family} default routes: via the gateway of {other} and of {key}");
                    defaults[node][s.Family] = key;
                }
            }
        }
        if (n.Gateway is not null && !seen.Contains(n.Gateway))
            throw fail(key + ".Gateway", $"the gateway '{n.Gateway}' is not a member of the network (members: {string.Join(", ", seen)})");
        SubnetAllocator.Network(n, fail);
    }

    private void CheckLink(LabLinkDefinition l, string key, Dictionary<string, Dictionary<string, string>> interfaces,
        List<(IPPrefix, string)> subnets, Dictionary<string, List<IPPrefix>> connected)
    {
        CheckMtu(l.Mtu, key + ".Mtu");
        if (l.A.Node == l.B.Node)
            throw fail(key + ".Endpoints", $"a link joins two different nodes (both ends are on '{l.A.Node}')");
        foreach (var (end, i) in new[] { (l.A, 0), (l.B, 1) })
        {
            string ekey = $"{key}.Endpoints[{i}]";
            if (!interfaces.TryGetValue(end.Node, out var ifs))
                throw fail(ekey, $"there is no node '{end.Node}' (nodes: {string.Join(", ", interfaces.Keys)})");
            if ((Names.InterfaceNameError(end.Interface) ?? Names.NewNameError(end.Interface, "interface")) is string bad)
                throw fail(ekey, bad);
            AddInterface(ifs, end.Node, end.Interface, ekey, key);
            connected[end.Node].AddRange(l.Subnets);
        }
        foreach (var s in l.Subnets)
            AddSubnet(subnets, s, key + ".Subnet");
        SubnetAllocator.Link(l, key, fail);
    }

    private void CheckNode(LabNodeDefinition n, List<IPPrefix> connected, Dictionary<IPAddressFamily, string> defaults)
    {
        string key = "Nodes." + n.Name;
        foreach (var (k, v) in n.Sysctls)
        {
            try
            {
                Sysctl.PathOf(k);
            }
            catch (NetNsException e)
            {
                throw fail($"{key}.Sysctls.{k}", e.Message);
            }
            if (v.Contains('\n') || v.Contains('\0'))
                throw fail($"{key}.Sysctls.{k}", "a sysctl value cannot contain a newline or NUL");
        }
        var destinations = new HashSet<IPPrefix>();
        foreach (var r in n.Routes)
        {
            string rkey = $"{key}.Routes.{r.Destination}";
            if (!connected.Any(s => s.Contains(r.Via)))
                throw fail(rkey, $"the next hop {r.Via} is on none of the subnets of node '{n.Name}' ({(connected.Count == 0 ? "it has none" : string.Join(", ", connected))})");
            if (!destinations.Add(r.Destination))
                throw fail(rkey, $"a second route to {r.Destination}");
            if (r.Destination.IsDefault && defaults.TryGetValue(r.Destination.Family, out string? network))
                throw fail(rkey, $"node '{n.Name}' has a default route via the gateway of {network} already");
        }
    }

    private void AddSubnet(List<(IPPrefix Prefix, string Key)> subnets, IPPrefix s, string key)
    {
        foreach (var (other, otherKey) in subnets)
        {
            if (SubnetAllocator.Overlap(s, other))
                throw fail(key, $"the subnet {s} overlaps {other} of {otherKey}");
        }
        subnets.Add((s, key));
    }

    private void AddInterface(Dictionary<string, string> ifs, string node, string name, string key, string what)
    {
        if (ifs.TryGetValue(name, out string? owner))
            throw fail(key, $"node '{node}' has the interface '{name}' twice: for {what} and for {owner}");
        ifs[name] = what;
    }

    private void CheckLabName(string name)
    {
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxLabNameBytes)
            throw fail("Name", $"the lab name '{name}' is {bytes} bytes long; at most {MaxLabNameBytes} are allowed");
        if (!char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw fail("Name", $"the lab name '{name}' may hold only letters, digits and '_' (no '-': it separates the lab from the node in namespace names)");
    }

    private void CheckMemberName(string name, string key, string what, string lab)
    {
        if (Names.InterfaceNameError(name) is string bad)
            throw fail(key, $"a {what} name becomes an interface name: {bad}");
        if (!char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            throw fail(key, $"the {what} name '{name}' may hold only letters, digits, '_', '-' and '.', starting with a letter or digit");
        if (Names.NamespaceNameError(LabDefinition.NamespaceOf(lab, name)) is string nsBad)
            throw fail(key, nsBad);
    }

    private void CheckMtu(int? mtu, string key)
    {
        if (mtu is < 68 or > 65535)
            throw fail(key, $"MTU {mtu} is out of range (68–65535)");
    }
}
