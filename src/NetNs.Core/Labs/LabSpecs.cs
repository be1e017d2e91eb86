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
