namespace NetNs.Core;

/// <summary>What a planned change does.</summary>
public enum LabChangeAction
{
    /// <summary>Creates the object.</summary>
    Add,
    /// <summary>Deletes the object.</summary>
    Remove,
    /// <summary>Changes a property of an existing object.</summary>
    Set,
}

/// <summary>What kind of object a change is about.</summary>
public enum LabObjectKind
{
    /// <summary>A namespace (node or network).</summary>
    Namespace,
    /// <summary>A network's bridge.</summary>
    Bridge,
    /// <summary>A veth pair.</summary>
    Veth,
    /// <summary>An address.</summary>
    Address,
    /// <summary>A route.</summary>
    Route,
    /// <summary>A sysctl.</summary>
    Sysctl,
    /// <summary>A masquerade rule.</summary>
    Nat,
    /// <summary>A link's impairment (rate, delay, loss…): only its qdisc and NetNs's nftables chains change.</summary>
    Impairment,
    /// <summary>A network's VXLAN port to other hosts.</summary>
    Vxlan,
}

/// <summary>One step of a deployment: what Deploy-NetNsLab -WhatIf lists, and what a deployment made.</summary>
public sealed class LabChange
{
    /// <summary>The lab.</summary>
    public required string Lab { get; init; }

    /// <summary>The host (of a lab across hosts) the change is made on; null: where the lab is deployed.</summary>
    public string? Host { get; init; }

    /// <summary>Add, Remove or Set.</summary>
    public required LabChangeAction Action { get; init; }

    /// <summary>The kind of object.</summary>
    public required LabObjectKind Kind { get; init; }

    /// <summary>The namespace it is in (for a namespace: itself).</summary>
    public required string Namespace { get; init; }

    /// <summary>The object: a link name, an address, a route, a sysctl key.</summary>
    public required string Target { get; init; }

    /// <summary>More about it: a veth's peer, a new value.</summary>
    public string? Detail { get; init; }

    /// <summary>The spec the executor acts on.</summary>
    internal object Spec { get; init; } = null!;

    /// <summary>"Add Veth nt-h1 lan" ("Add Veth b:nt-h1 lan" on host b).</summary>
    public override string ToString() => $"{Action} {Kind} {(Host is null ? "" : Host + ":")}{Namespace} {Target}{(Detail is null ? "" : " " + Detail)}";
}
