using System.Net;

namespace NetNs.Core;

/// <summary>
/// A lab as declared: nodes (each a namespace LAB-NODE), networks (a bridge in a namespace LAB-NETWORK, its members
/// on veths), point-to-point links, and NAT. Read and validated by <see cref="LabDefinitionReader"/>; nothing here
/// touches the kernel.
/// </summary>
public sealed class LabDefinition
{
    /// <summary>The lab's name: the prefix of its namespaces and the tag on everything it makes.</summary>
    public required string Name { get; init; }

    /// <summary>Nodes by name, sorted by name.</summary>
    public IReadOnlyList<LabNodeDefinition> Nodes { get; init; } = [];

    /// <summary>Networks (bridges), sorted by name.</summary>
    public IReadOnlyList<LabNetworkDefinition> Networks { get; init; } = [];

    /// <summary>Point-to-point links, in the order written.</summary>
    public IReadOnlyList<LabLinkDefinition> Links { get; init; } = [];

    /// <summary>Masquerade rules: node name to the interface traffic leaves by.</summary>
    public IReadOnlyList<LabNatDefinition> Nat { get; init; } = [];

    /// <summary>The machines the lab spans (see <see cref="LabHostSplitter"/>), sorted by name; empty: all is local.</summary>
    public IReadOnlyList<LabHostDefinition> Hosts { get; init; } = [];

    /// <summary>The UDP port of the VXLAN that carries networks between hosts (the Vxlan.Port key; default 4789).</summary>
    public int? VxlanPort { get; init; }

    /// <summary>
    /// This machine's own address for the VXLAN of networks and links that join nodes without a Host to nodes on hosts
    /// (the Vxlan.Address key); null: the address this machine sends from to those hosts (<see cref="LabHostSplitter.WithLocalAddress"/>).
    /// </summary>
    public IPAddress? VxlanAddress { get; init; }

    /// <summary>This definition with <see cref="VxlanAddress"/> set to <paramref name="address"/>.</summary>
    internal LabDefinition WithVxlanAddress(IPAddress? address) => new()
    {
        Name = Name, Nodes = Nodes, Networks = Networks, Links = Links, Nat = Nat, Hosts = Hosts, VxlanPort = VxlanPort, VxlanAddress = address,
    };

    /// <summary>The namespace of a node or network of this lab: "LAB-MEMBER".</summary>
    public static string NamespaceOf(string lab, string member) => lab + "-" + member;

    /// <summary>The node of that name, or null.</summary>
    public LabNodeDefinition? Node(string name) => Nodes.FirstOrDefault(n => n.Name == name);
}

/// <summary>A node: one namespace.</summary>
public sealed class LabNodeDefinition
{
    /// <summary>The node's name.</summary>
    public required string Name { get; init; }

    /// <summary>Whether it routes (net.ipv4.ip_forward and net.ipv6.conf.all.forwarding set to 1).</summary>
    public bool Forwarding { get; init; }

    /// <summary>Other net.* sysctls set in its namespace, sorted by key.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Sysctls { get; init; } = [];

    /// <summary>Static routes: destination prefix via a next hop on one of its subnets.</summary>
    public IReadOnlyList<LabRouteDefinition> Routes { get; init; } = [];

    /// <summary>
    /// A running container (name or id, as Get-ContainerNetNs finds it) whose network namespace is this node: the lab
    /// attaches it under its own name instead of making one, adds its links, addresses and routes there, and on
    /// removal takes out only those (the container keeps its namespace). Not with Forwarding, Sysctls or Nat.
    /// </summary>
    public string? Container { get; init; }

    /// <summary>The name of the host (a key of the lab's Hosts) the node lives on; null: where the lab is deployed.</summary>
    public string? Host { get; init; }
}

/// <summary>A static route of a node.</summary>
public sealed record LabRouteDefinition(IPPrefix Destination, IPAddress Via);

/// <summary>A network: a bridge with members, addresses from its subnets, default routes via its gateway.</summary>
public sealed class LabNetworkDefinition
{
    /// <summary>The network's name (also the bridge's name and, by default, the members' interface name).</summary>
    public required string Name { get; init; }

    /// <summary>Its subnets (at most one per family).</summary>
    public IReadOnlyList<IPPrefix> Subnets { get; init; } = [];

    /// <summary>Members in the order written; addresses are given in that order after the gateway.</summary>
    public IReadOnlyList<LabMemberDefinition> Members { get; init; } = [];

    /// <summary>The member the others route by default through; it gets the first address.</summary>
    public string? Gateway { get; init; }

    /// <summary>MTU of the bridge and its veths, if not the default.</summary>
    public int? Mtu { get; init; }

    /// <summary>The name of the members' interface on this network (default: the network's name).</summary>
    public required string Interface { get; init; }

    /// <summary>
    /// The impairment of every member's link to the bridge (Rate, Delay, Loss… keys on the network), unless the member
    /// gives its own; null for none (see <see cref="LabImpairments"/>).
    /// </summary>
    public LinkImpairmentSpec? Impairment { get; init; }

    /// <summary>What member <paramref name="m"/>'s link to the bridge should have: its own keys, else the network's.</summary>
    public LinkImpairmentSpec? ImpairmentOf(LabMemberDefinition m) => (m ?? throw new ArgumentNullException(nameof(m))).Impairment ?? Impairment;

    /// <summary>A VXLAN port on the network's bridge that carries it to other machines, or null.</summary>
    public LabVxlanDefinition? Vxlan { get; init; }
}

/// <summary>
/// A member of a network, with the addresses pinned for it ("h1=198.18.40.10", or @{ Node = 'h1'; Address = … }) and
/// the impairment of its link to the bridge when the member entry gives one (@{ Node = 'h1'; Rate = '10mbit' }).
/// </summary>
public sealed record LabMemberDefinition(string Node, IReadOnlyList<IPAddress> Pinned, LinkImpairmentSpec? Impairment = null);

/// <summary>One end of a link: NODE:INTERFACE.</summary>
public sealed record LabEndpoint(string Node, string Interface)
{
    /// <inheritdoc/>
    public override string ToString() => Node + ":" + Interface;
}

/// <summary>A point-to-point link: a veth between two nodes; the first end gets each subnet's first address.</summary>
public sealed class LabLinkDefinition
{
    /// <summary>The first end.</summary>
    public required LabEndpoint A { get; init; }

    /// <summary>The second end.</summary>
    public required LabEndpoint B { get; init; }

    /// <summary>Its subnets (at most one per family); may be empty.</summary>
    public IReadOnlyList<IPPrefix> Subnets { get; init; } = [];

    /// <summary>MTU of both ends, if not the default.</summary>
    public int? Mtu { get; init; }

    /// <summary>The impairment of both ends (Rate, Delay, Loss… keys), or null (see <see cref="LabImpairments"/>).</summary>
    public LinkImpairmentSpec? Impairment { get; init; }
}

/// <summary>Masquerade of what node <see cref="Node"/> forwards out of <see cref="Interface"/>.</summary>
public sealed record LabNatDefinition(string Node, string Interface);
