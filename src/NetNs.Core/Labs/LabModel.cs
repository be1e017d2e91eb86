using System.Net;

namespace NetNs.Core;

/// <summary>What a namespace of a lab is.</summary>
public enum LabRole
{
    /// <summary>A node.</summary>
    Node,
    /// <summary>A network: the namespace holding its bridge.</summary>
    Network,
}

/// <summary>
/// A namespace of a lab; <paramref name="Container"/> names the running container whose network namespace the lab
/// attached as this node (bound to the lab's name, as `ip netns attach` does) instead of making one.
/// </summary>
public sealed record LabNamespaceSpec(string Name, LabRole Role, string Member, string? Container = null);

/// <summary>A network's bridge; <see cref="Subnets"/> and <see cref="Gateway"/> are kept in its tag.</summary>
public sealed record LabBridgeSpec(string Namespace, string Name, int? Mtu, string Subnets, string? Gateway);

/// <summary>
/// A veth pair, created from <see cref="Namespace"/> with its peer in <see cref="PeerNamespace"/>; the peer is a port of
/// <see cref="PeerMaster"/> when set (a network member). <see cref="Mtu"/> null: not set, or not known.
/// </summary>
public sealed record LabVethSpec(string Namespace, string Name, string PeerNamespace, string PeerName, string? PeerMaster, int? Mtu)
{
    /// <summary>What identifies the pair: both ends' namespaces and names.</summary>
    public (string, string, string, string) Key => (Namespace, Name, PeerNamespace, PeerName);
}

/// <summary>An address on a link of a lab namespace.</summary>
public sealed record LabAddressSpec(string Namespace, string Link, IPPrefix Prefix);

/// <summary>A route (main table) in a lab namespace.</summary>
public sealed record LabRouteSpec(string Namespace, IPPrefix Destination, IPAddress Gateway)
{
    /// <inheritdoc/>
    public bool Equals(LabRouteSpec? other) =>
        other is not null && other.Namespace == Namespace && other.Destination == Destination && other.Gateway.Equals(Gateway);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Namespace, Destination, Gateway);
}

/// <summary>A sysctl in a lab namespace.</summary>
public sealed record LabSysctlSpec(string Namespace, string Key, string Value);

/// <summary>
/// A lab as kernel objects: what a definition resolves to (<see cref="LabResolver"/>), and what is found running
/// (<see cref="LabReader"/>); the planner diffs two of them.
/// </summary>
public sealed class LabModel
{
    /// <summary>The lab's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its namespaces.</summary>
    public List<LabNamespaceSpec> Namespaces { get; init; } = [];

    /// <summary>Bridges.</summary>
    public List<LabBridgeSpec> Bridges { get; init; } = [];

    /// <summary>Veth pairs.</summary>
    public List<LabVethSpec> Veths { get; init; } = [];

    /// <summary>Addresses.</summary>
    public List<LabAddressSpec> Addresses { get; init; } = [];

    /// <summary>Routes with a next hop.</summary>
    public List<LabRouteSpec> Routes { get; init; } = [];

    /// <summary>Sysctls set.</summary>
    public List<LabSysctlSpec> Sysctls { get; init; } = [];

    /// <summary>Masquerade rules (node namespace, interface).</summary>
    public List<LabNatDefinition> Nat { get; init; } = [];

    /// <summary>
    /// Link ends (namespace, link) of a running lab with a root qdisc of their own (not noqueue): the only ends where
    /// a tbf or netem can be, so the only ones whose qdiscs converging reads.
    /// </summary>
    public HashSet<(string Namespace, string Link)> Shaped { get; init; } = [];

    /// <summary>Namespaces of a running lab that hold NetNs's netdev table (loss and partition rules).</summary>
    public HashSet<string> ImpairmentTables { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Namespaces named with the lab's prefix that carry no tag (not made by it, or left by a crash mid-create).</summary>
    public List<string> Untagged { get; init; } = [];

    /// <summary>The member name of a lab namespace (LAB-MEMBER → MEMBER).</summary>
    public string MemberOf(string ns) => ns.StartsWith(Name + "-", StringComparison.Ordinal) ? ns[(Name.Length + 1)..] : ns;

    /// <summary>Whether the namespace is a node of this lab.</summary>
    public bool IsNode(string ns) => Namespaces.Any(n => n.Name == ns && n.Role == LabRole.Node);
}
