namespace NetNs.Core;

public sealed partial class NetlinkHandle
{
    /// <summary>
    /// The ports of one bridge, or of every bridge when <paramref name="bridge"/> is null.
    /// Equivalent to: `bridge link show [master BR]`.
    /// </summary>
    public IReadOnlyList<BridgePort> GetBridgePorts(string? bridge = null)
    {
        var links = DumpLinks();
        var bridges = links.Where(l => l.Kind == "bridge").ToDictionary(l => l.Index, l => l.Name);
        if (bridge is not null && !bridges.ContainsValue(bridge))
        {
            // tell "no such link" apart from "not a bridge"
            var m = GetLinkMessage(bridge);
            throw NetNsException.Invalid("list bridge ports", bridge, $"link '{m.Name}' is a {m.KindName}, not a bridge");
        }
        return links
            .Where(l => bridges.ContainsKey(l.Master) && (bridge is null || bridges[l.Master] == bridge))
            .Select(l => ToPort(l, bridges[l.Master]))
            .ToList();
    }

    /// <summary>
    /// Enslaves <paramref name="port"/> to <paramref name="bridge"/>, which must be a bridge.
    /// Equivalent to: `ip link set PORT master BRIDGE`.
    /// </summary>
    public BridgePort AddBridgePort(string bridge, string port)
    {
        JoinBridge(bridge, port);
        return ToPort(GetLinkMessage(port), bridge);
    }

    /// <summary>
    /// <see cref="AddBridgePort"/> without reading the port back (for a caller that writes nothing): two requests.
    /// Equivalent to: `ip link set PORT master BRIDGE`.
    /// </summary>
    public void JoinBridge(string bridge, string port)
    {
        var br = GetLinkMessage(bridge);
        if (br.Kind != "bridge")
            throw NetNsException.Invalid("add bridge port", bridge, $"link '{bridge}' is a {br.KindName}, not a bridge");
        SetMasterIndex(port, br.Index, bridge);
    }

    /// <summary>
    /// Releases <paramref name="port"/> from its bridge; when <paramref name="bridge"/> is given the port
    /// must belong to it. Equivalent to: `ip link set PORT nomaster`.
    /// </summary>
    public void RemoveBridgePort(string port, string? bridge = null)
    {
        var m = GetLinkMessage(port);
        if (m.Master == 0)
            throw new NetNsException(NetNsErrorReason.LinkNotFound, "remove bridge port",
                $"link '{port}' is not a bridge port{Where()}", port);
        if (bridge is not null && GetLinkIndex(bridge) != m.Master)
            throw new NetNsException(NetNsErrorReason.LinkNotFound, "remove bridge port",
                $"link '{port}' is not a port of bridge '{bridge}'{Where()}", port);
        SetMaster(port, null);
    }

    private string Where() => NamespaceName is null ? "" : $" in namespace '{NamespaceName}'";

    private BridgePort ToPort(LinkMessage l, string bridge) => new()
    {
        Bridge = bridge,
        Name = l.Name,
        InterfaceIndex = l.Index,
        Namespace = NamespaceName,
        State = (l.Flags & Netlink.Iff.Up) != 0 ? LinkState.Up : LinkState.Down,
        OperationalState = l.OperStateName,
    };
}
