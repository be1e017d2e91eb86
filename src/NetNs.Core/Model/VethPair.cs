namespace NetNs.Core;

/// <summary>Both ends of a veth pair just created. <see cref="Name"/> is the first end.</summary>
public sealed class VethPair
{
    /// <summary>The first end's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The first end's namespace; null for the caller's own.</summary>
    public string? Namespace { get; init; }

    /// <summary>The first end's ifindex.</summary>
    public int InterfaceIndex { get; init; }

    /// <summary>The name again, as NetTCPIP calls it: binds by property name into -InterfaceAlias of the address and route cmdlets.</summary>
    public string InterfaceAlias => Name;

    /// <summary>The other end's name.</summary>
    public string PeerName { get; init; } = "";

    /// <summary>The other end's namespace; null for the caller's own.</summary>
    public string? PeerNamespace { get; init; }

    /// <summary>The other end's ifindex, in its namespace.</summary>
    public int PeerIfIndex { get; init; }

    /// <summary>Administrative state of the ends (both are set together).</summary>
    public LinkState State { get; init; }

    /// <summary>MTU of both ends.</summary>
    public int Mtu { get; init; }

    /// <summary>The first end's MAC address.</summary>
    public string? MacAddress { get; init; }

    /// <summary>The other end's MAC address.</summary>
    public string? PeerMacAddress { get; init; }

    /// <summary>The first end's name, as a user would type it back.</summary>
    public override string ToString() => Name;
}
