namespace NetNs.Core;

/// <summary>An address of a lab node, as Get-NetNsLab lists it.</summary>
public sealed record LabAddressInfo(string Node, string InterfaceAlias, string IPAddress, int PrefixLength)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Node}:{InterfaceAlias} {IPAddress}/{PrefixLength}";
}

/// <summary>A running lab as Get-NetNsLab shows it, rebuilt from the kernel.</summary>
public sealed class LabInfo
{
    /// <summary>The lab's name.</summary>
    public required string Name { get; init; }

    /// <summary>The lab's name again, so a LabInfo binds to -Lab parameters by property name (Get-NetNsNetwork -Lab).</summary>
    public string Lab => Name;

    /// <summary>Node names.</summary>
    public required string[] Nodes { get; init; }

    /// <summary>Network names.</summary>
    public required string[] Networks { get; init; }

    /// <summary>Links as "A:IF-B:IF".</summary>
    public required string[] Links { get; init; }

    /// <summary>Addresses of the nodes.</summary>
    public required LabAddressInfo[] Addresses { get; init; }

    /// <summary>The lab's namespaces.</summary>
    public required string[] Namespaces { get; init; }

    /// <summary>The definition that deploys this lab as it runs (pinned addresses, routes, forwarding).</summary>
    public required LabDefinition Definition { get; init; }

    /// <summary>The kernel objects found.</summary>
    public required LabModel Model { get; init; }

    /// <summary>The lab's name.</summary>
    public override string ToString() => Name;

    /// <summary>Reads lab <paramref name="name"/> from the kernel; null when none of its namespaces is tagged.</summary>
    public static LabInfo? Read(string name)
    {
        var m = RunningLabReader.Read(name);
        return m.Namespaces.Count == 0 ? null : FromModel(m, LabImpairments.ReadSpec);
    }

    /// <summary>
    /// Describes a model; with <paramref name="impairmentOf"/> (<see cref="LabImpairments.ReadSpec"/> for a running lab)
    /// its links carry their impairments, shown in <see cref="Links"/> and exported.
    /// </summary>
    public static LabInfo FromModel(LabModel m, Func<string, string, LinkImpairmentSpec?>? impairmentOf = null)
    {
        ArgumentNullException.ThrowIfNull(m);
        var d = ToDefinition(m, impairmentOf);
        var nodes = m.Namespaces.Where(n => n.Role == LabRole.Node).Select(n => n.Name).ToHashSet();
        return new LabInfo
        {
            Name = m.Name,
            Nodes = d.Nodes.Select(n => n.Name).ToArray(),
            Networks = d.Networks.Select(n => n.Name + (n.Members.Any(x => x.Impairment is not null)
                ? " (" + string.Join("; ", n.Members.Where(x => x.Impairment is not null).Select(x => $"{x.Node}: {x.Impairment}")) + ")"
                : "")).ToArray(),
            Links = d.Links.Select(l => $"{l.A}-{l.B}" + (l.Impairment is { } i ? $" ({i})" : "")).ToArray(),
            Addresses = m.Addresses.Where(a => nodes.Contains(a.Namespace))
                .Select(a => new LabAddressInfo(m.MemberOf(a.Namespace), a.Link, a.Prefix.Address.ToString(), a.Prefix.PrefixLength)).ToArray(),
            Namespaces = m.Namespaces.Select(n => n.Name).ToArray(),
            Definition = d,
            Model = m,
        };
    }

    /// <summary>
    /// The definition a model stands for: nodes with forwarding and static routes, networks with their subnets,
    /// gateway and members with their addresses pinned, links with their subnets, NAT. Deploying it converges to no change.
    /// </summary>
    public static LabDefinition ToDefinition(LabModel m, Func<string, string, LinkImpairmentSpec?>? impairmentOf = null)
    {
        ArgumentNullException.ThrowIfNull(m);
        // Lookups, not scans per object: a lab may have hundreds of nodes.
        var addressesOn = m.Addresses.ToLookup(a => (a.Namespace, a.Link));
        var routesIn = m.Routes.ToLookup(r => r.Namespace);
        var portsOf = m.Veths.Where(v => v.PeerMaster is not null).ToLookup(v => (v.PeerNamespace, v.PeerMaster!));
        var nodeNames = m.Namespaces.Where(n => n.Role == LabRole.Node).Select(n => n.Name).ToHashSet();
        var forwarding = m.Sysctls.Where(s => s.Key == Sysctl.Forward4 && s.Value == "1").Select(s => s.Namespace).ToHashSet();
        var networks = new List<LabNetworkDefinition>();
        var gatewayRoutes = new HashSet<LabRouteSpec>();
        foreach (var b in m.Bridges.OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            var members = portsOf[(b.Namespace, b.Name)].ToList();
            string iface = members.FirstOrDefault()?.Name ?? b.Name;
            var subnets = b.Subnets.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => IPPrefix.Parse(s)).ToList();
            var defs = members.Select(v => new LabMemberDefinition(m.MemberOf(v.Namespace),
                addressesOn[(v.Namespace, v.Name)].Select(a => a.Prefix.Address).ToList(),
                impairmentOf?.Invoke(v.Namespace, v.Name))).ToList();
            if (b.Gateway is not null)
            {
                var gwAddresses = addressesOn[(LabDefinition.NamespaceOf(m.Name, b.Gateway), iface)].Select(g => g.Prefix.Address).ToHashSet();
                foreach (var v in members)
                    gatewayRoutes.UnionWith(routesIn[v.Namespace].Where(r => r.Destination.IsDefault && gwAddresses.Contains(r.Gateway)));
            }
            networks.Add(new LabNetworkDefinition
            {
                Name = m.MemberOf(b.Namespace),
                Subnets = subnets,
                Members = defs,
                Gateway = b.Gateway,
                Mtu = members.FirstOrDefault()?.Mtu is int mtu && mtu != 1500 ? mtu : null,
                Interface = iface,
            });
        }
        var links = m.Veths.Where(v => v.PeerMaster is null && nodeNames.Contains(v.Namespace) && nodeNames.Contains(v.PeerNamespace))
            .Select(v => new LabLinkDefinition
            {
                A = new LabEndpoint(m.MemberOf(v.Namespace), v.Name),
                B = new LabEndpoint(m.MemberOf(v.PeerNamespace), v.PeerName),
                Subnets = addressesOn[(v.Namespace, v.Name)].Select(a => a.Prefix.Network).ToList(),
                Mtu = v.Mtu is int mtu && mtu != 1500 ? mtu : null,
                Impairment = impairmentOf?.Invoke(v.Namespace, v.Name),
            }).ToList();
        var nodes = m.Namespaces.Where(n => n.Role == LabRole.Node).OrderBy(n => n.Member, StringComparer.Ordinal).Select(n => new LabNodeDefinition
        {
            Name = n.Member,
            Forwarding = forwarding.Contains(n.Name),
            Routes = routesIn[n.Name].Where(r => !gatewayRoutes.Contains(r)).Select(r => new LabRouteDefinition(r.Destination, r.Gateway)).ToList(),
            Container = n.Container,
        }).ToList();
        var nat = m.Nat.Select(n => new LabNatDefinition(m.MemberOf(n.Node), n.Interface)).ToList();
        return new LabDefinition { Name = m.Name, Nodes = nodes, Networks = networks, Links = links, Nat = nat };
    }
}
