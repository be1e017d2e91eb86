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

    /// <summary>VXLAN ports on network bridges (to the same network on other hosts).</summary>
    public List<LabVxlanSpec> Vxlans { get; init; } = [];

    /// <summary>Namespaces named with the lab's prefix that carry no tag (not made by it, or left by a crash mid-create).</summary>
    public List<string> Untagged { get; init; } = [];

    /// <summary>The member name of a lab namespace (LAB-MEMBER → MEMBER).</summary>
    public string MemberOf(string ns) => ns.StartsWith(Name + "-", StringComparison.Ordinal) ? ns[(Name.Length + 1)..] : ns;

    /// <summary>Whether the namespace is a node of this lab.</summary>
    public bool IsNode(string ns) => Namespaces.Any(n => n.Name == ns && n.Role == LabRole.Node);
}

/// <summary>
/// The tags a lab writes into IFLA_IFALIAS: on each namespace's loopback ("netns-lab LAB node NAME"), on each bridge
/// ("netns-lab LAB bridge NAME SUBNETS [GATEWAY]") and on both ends of each veth ("netns-lab LAB veth A:IF B:IF").
/// </summary>
public static class LabTags
{
    /// <summary>The first word of every tag.</summary>
    public const string Prefix = "netns-lab";

    /// <summary>
    /// The loopback's tag; an attached container's node names it in a "container:NAME" word, and a node's NAT
    /// interfaces follow as "nat:IF" words.
    /// </summary>
    public static string Namespace(string lab, LabRole role, string member, IEnumerable<string>? natInterfaces = null, string? container = null) =>
        $"{Prefix} {lab} {(role == LabRole.Node ? "node" : "network")} {member}"
        + (container is null ? "" : " " + ContainerWord + container)
        + string.Concat((natInterfaces ?? []).Select(i => " " + NatWord + i));

    /// <summary>The prefix of a NAT interface word in a node's loopback tag.</summary>
    public const string NatWord = "nat:";

    /// <summary>The prefix of the word of a node tag that names the container whose namespace the lab attached.</summary>
    public const string ContainerWord = "container:";

    /// <summary>The container a namespace tag's words after the member name (<see cref="ContainerWord"/>), or null.</summary>
    public static string? ContainerOf(IEnumerable<string> extraWords) =>
        extraWords.FirstOrDefault(w => w.StartsWith(ContainerWord, StringComparison.Ordinal) && w.Length > ContainerWord.Length)?[ContainerWord.Length..];

    /// <summary>A bridge's tag.</summary>
    public static string Bridge(string lab, LabBridgeSpec b, LabModel m) =>
        $"{Prefix} {lab} bridge {m.MemberOf(b.Namespace)} {(b.Subnets.Length == 0 ? "-" : b.Subnets)}{(b.Gateway is null ? "" : " " + b.Gateway)}";

    /// <summary>Both veth ends' tag.</summary>
    public static string Veth(string lab, LabVethSpec v, LabModel m) =>
        $"{Prefix} {lab} veth {m.MemberOf(v.Namespace)}:{v.Name} {m.MemberOf(v.PeerNamespace)}:{v.PeerName}";

    /// <summary>Splits a tag of lab <paramref name="lab"/> into its words after the lab name; null when it is not one.</summary>
    public static string[]? Parse(string? alias, string lab)
    {
        if (alias is null)
            return null;
        string[] words = alias.Split(' ');
        return words.Length >= 4 && words[0] == Prefix && words[1] == lab ? words[2..] : null;
    }

    /// <summary>The lab a tag names, or null.</summary>
    public static string? LabOf(string? alias)
    {
        string[]? words = alias?.Split(' ');
        return words is { Length: >= 4 } && words[0] == Prefix ? words[1] : null;
    }
}
