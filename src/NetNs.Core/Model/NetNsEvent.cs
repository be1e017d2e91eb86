namespace NetNs.Core;

/// <summary>What kind of object a <see cref="NetNsEvent"/> is about.</summary>
[Flags]
public enum NetNsEventKind
{
    /// <summary>A network interface (RTM_NEWLINK / RTM_DELLINK).</summary>
    Link = 1,
    /// <summary>An address (RTM_NEWADDR / RTM_DELADDR).</summary>
    Address = 2,
    /// <summary>A route (RTM_NEWROUTE / RTM_DELROUTE).</summary>
    Route = 4,
    /// <summary>A named namespace under /run/netns (`ip netns monitor`).</summary>
    Namespace = 8,
    /// <summary>Every kind.</summary>
    All = Link | Address | Route | Namespace,
}

/// <summary>
/// One change seen in a namespace, as `ip monitor` (or `ip netns monitor`) prints it: New for an object added or
/// changed, Deleted for one removed, Present for the state written before watching (-Initial), Overrun when the kernel
/// dropped events because they came faster than they were read.
/// </summary>
public sealed class NetNsEvent
{
    /// <summary>When it was read.</summary>
    public DateTime Time { get; init; }

    /// <summary>The namespace it happened in; null for the caller's own.</summary>
    public string? Namespace { get; init; }

    /// <summary>Link, Address, Route or Namespace.</summary>
    public NetNsEventKind Kind { get; init; }

    /// <summary>New, Deleted, Present or Overrun.</summary>
    public string Action { get; init; } = "";

    /// <summary>The link, address (with its prefix), route destination or namespace name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The object itself (a NetNsLink, NetNsAddress or NetNsRoute; the name for a namespace).</summary>
    public object? Object { get; init; }

    /// <summary>A line like `ip monitor`'s.</summary>
    public string Summary { get; init; } = "";

    /// <inheritdoc/>
    public override string ToString() => Summary;
}
