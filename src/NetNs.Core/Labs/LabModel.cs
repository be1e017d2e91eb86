using System.Net;

namespace NetNs.Core;

/// <summary>
/// A lab as kernel objects: what a definition resolves to (<see cref="LabResolver"/>), and what is found running
/// (<see cref="RunningLabReader"/>); the planner diffs two of them.
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
    /// <summary>VXLAN ports on network bridges (to the same network on other hosts).</summary>
    public List<LabVxlanSpec> Vxlans { get; init; } = [];

    /// <summary>Namespaces named with the lab's prefix that carry no tag (not made by it, or left by a crash mid-create).</summary>
    public List<string> Untagged { get; init; } = [];

    /// <summary>The member name of a lab namespace (LAB-MEMBER → MEMBER).</summary>
    public string MemberOf(string ns) => ns.StartsWith(Name + "-", StringComparison.Ordinal) ? ns[(Name.Length + 1)..] : ns;

    /// <summary>Whether the namespace is a node of this lab.</summary>
    public bool IsNode(string ns) => Namespaces.Any(n => n.Name == ns && n.Role == LabRole.Node);
}
