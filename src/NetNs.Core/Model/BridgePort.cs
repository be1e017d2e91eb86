namespace NetNs.Core;

/// <summary>A link enslaved to a bridge (`bridge link`).</summary>
public sealed class BridgePort
{
    /// <summary>The bridge's name.</summary>
    public string Bridge { get; init; } = "";

    /// <summary>The port link's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The port link's ifindex.</summary>
    public int InterfaceIndex { get; init; }

    /// <summary>The name again, as NetTCPIP calls it: binds by property name into -InterfaceAlias of the address and route cmdlets.</summary>
    public string InterfaceAlias => Name;

    /// <summary>The namespace of bridge and port; null for the caller's own.</summary>
    public string? Namespace { get; init; }

    /// <summary>Administrative state of the port.</summary>
    public LinkState State { get; init; }

    /// <summary>Operational state of the port.</summary>
    public string OperationalState { get; init; } = "";

    /// <summary>The port's name.</summary>
    public override string ToString() => Name;
}
