namespace NetNs.Core;

/// <summary>Kinds of link <see cref="NetlinkHandle.CreateLink"/> makes.</summary>
public enum LinkKind
{
    /// <summary>A Linux bridge (`type bridge`).</summary>
    Bridge,
    /// <summary>A dummy interface (`type dummy`).</summary>
    Dummy,
    /// <summary>An 802.1Q VLAN on a parent link (`type vlan id N`).</summary>
    Vlan,
    /// <summary>A macvlan on a parent link (`type macvlan mode bridge`).</summary>
    Macvlan,
}

/// <summary>What to create with <see cref="NetlinkHandle.CreateLink"/>.</summary>
public sealed class LinkSpec
{
    /// <summary>The new link's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its kind.</summary>
    public required LinkKind Kind { get; init; }

    /// <summary>The parent link (vlan, macvlan).</summary>
    public string? Parent { get; init; }

    /// <summary>The VLAN id, 1–4094 (vlan).</summary>
    public int? VlanId { get; init; }

    /// <summary>MTU, if not the default.</summary>
    public int? Mtu { get; init; }

    /// <summary>MAC address, if not a random one.</summary>
    public string? MacAddress { get; init; }

    /// <summary>Bring it up after creating it.</summary>
    public bool Up { get; init; }
}

/// <summary>What to create with <see cref="NetlinkHandle.CreateVeth"/>.</summary>
public sealed class VethSpec
{
    /// <summary>The first end's name, created in the handle's namespace.</summary>
    public required string Name { get; init; }

    /// <summary>The other end's name.</summary>
    public required string PeerName { get; init; }

    /// <summary>Where the other end goes; null: the handle's namespace.</summary>
    public NamespaceHandle? PeerNamespace { get; init; }

    /// <summary>MTU of both ends, if not the default.</summary>
    public int? Mtu { get; init; }

    /// <summary>The first end's MAC address, if not random.</summary>
    public string? MacAddress { get; init; }

    /// <summary>The other end's MAC address, if not random.</summary>
    public string? PeerMacAddress { get; init; }

    /// <summary>Bring both ends up after creating them.</summary>
    public bool Up { get; init; }
}

/// <summary>Changes to apply with <see cref="NetlinkHandle.SetLink"/>; null members are left alone.</summary>
public sealed class LinkChanges
{
    /// <summary>Bring up (true) or down (false).</summary>
    public bool? Up { get; init; }

    /// <summary>New MTU.</summary>
    public int? Mtu { get; init; }

    /// <summary>New MAC address.</summary>
    public string? MacAddress { get; init; }

    /// <summary>New name.</summary>
    public string? NewName { get; init; }

    /// <summary>Move to this namespace (done last).</summary>
    public NamespaceHandle? Namespace { get; init; }
}
