using System.Net;

namespace NetNs.Core;

/// <summary>What <see cref="NetworkManager.Create"/> makes.</summary>
public sealed class NetworkSpec
{
    /// <summary>The network's name, also its bridge's (an interface name, at most 15 bytes).</summary>
    public required string Name { get; init; }

    /// <summary>One or two subnets (at most one per family), as network prefixes: 198.18.10.0/24, 2001:db8:10::/64.</summary>
    public required IReadOnlyList<IPPrefix> Subnets { get; init; }

    /// <summary>Masquerade the subnets out of <see cref="Uplink"/>.</summary>
    public bool Nat { get; init; }

    /// <summary>The link NAT goes out of (needed with <see cref="Nat"/>), in the network's namespace.</summary>
    public string? Uplink { get; init; }
}

/// <summary>
/// Lab networks of one namespace, like `docker network create` for namespaces: a bridge with the gateway addresses,
/// forwarding on, masquerading out of an uplink, and namespaces connected by veth pairs with addresses and default
/// routes. No state outside the kernel: the bridge and its ports carry IFLA_IFALIAS labels (<see cref="NetworkLabel"/>)
/// and NAT rules sit in NetNs's nftables table with the network's name in their comment, so another process, or the
/// next day, finds the same networks. Every change made by a call is undone when a later step of it fails.
/// </summary>
public sealed partial class NetworkManager : IDisposable
{
    private const string Forward4Key = Sysctl.Forward4;
    private const string Forward6Key = Sysctl.Forward6;

    // A lab's addresses are usable at once: no IPv6 duplicate address detection (`ip addr add … nodad`).
    private static readonly AddressOptions NoDad = new() { SkipDuplicateAddressDetection = true };

    private readonly NetlinkHandle _rtnl;
    private readonly NamespaceHandle? _ns;

    private NetworkManager(NetlinkHandle rtnl)
    {
        _rtnl = rtnl;
        _ns = rtnl.Namespace;
    }

    /// <summary>The networks of the namespace a user named (the caller's own: <see cref="NamespaceRef.Current"/>).</summary>
    public static NetworkManager Open(NamespaceRef reference) => new(NetlinkHandle.Open(reference));

    /// <summary>
    /// The networks of <paramref name="rtnl"/>'s namespace, over that handle (a cmdlet's leased one: disposing the
    /// manager disposes the handle, which a lease ignores).
    /// </summary>
    public static NetworkManager Open(NetlinkHandle rtnl) => new(rtnl ?? throw new ArgumentNullException(nameof(rtnl)));

    /// <summary>The namespace as output objects name it; null for the caller's own.</summary>
    public string? NamespaceName => _rtnl.NamespaceName;

    /// <summary>
    /// Creates a network: the bridge (up, labelled), each subnet's first host on it, forwarding on for the families
    /// used, and with NAT a masquerade rule per subnet out of the uplink plus a forward-accept rule for the bridge.
    /// Equivalent to: `ip link add NAME type bridge; ip addr add GW/LEN dev NAME; ip link set NAME up;
    /// sysctl -w net.ipv4.ip_forward=1; iptables -t nat -A POSTROUTING -s SUBNET -o UPLINK -j MASQUERADE;
    /// iptables -A FORWARD -i NAME -j ACCEPT`.
    /// </summary>
    public NetNsNetwork Create(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Names.CheckNewInterfaceName(spec.Name, "create network");
        var subnets = CheckSubnets(spec);
        if (spec.Nat)
        {
            if (spec.Uplink is null)
                throw NetNsException.Invalid("create network", spec.Name, "a network with NAT needs an uplink (-Uplink): the link its traffic leaves by");
            _rtnl.GetLinkIndex(Names.CheckInterfaceName(spec.Uplink, "create network"));
        }
        if (_rtnl.FindLink(spec.Name) is { } existing)
            throw BridgeTag.Parse(existing.Alias) is { } tag
                ? new NetNsException(NetNsErrorReason.NetworkExists, "create network",
                    $"network '{spec.Name}' already exists{Where}{(tag.Lab is null ? "" : $" (lab '{tag.Lab}')")}", spec.Name)
                : NetNsException.FromErrno("create network", Interop.Errno.EEXIST, ObjectKind.Link, spec.Name, NamespaceName);

        // The forwarding values before NetNs's first network here: an existing network already recorded them.
        var others = List();
        // Two networks on one subnet in one namespace would share its gateway address and route: refused, naming it.
        foreach (var other in others)
        {
            foreach (var mine in subnets)
            {
                if (other.Subnet.Where(o => o.Family == mine.Family && (o.Contains(mine.Address) || mine.Contains(o.Address)))
                        .Select(o => (IPPrefix?)o).FirstOrDefault() is { } clash)
                    throw NetNsException.Invalid("create network", spec.Name,
                        $"subnet {mine} overlaps {clash} of network '{other.Name}'{Where}: give each network a subnet of its own");
            }
        }
        bool v4 = subnets.Any(s => s.Family == IPAddressFamily.IPv4), v6 = subnets.Any(s => s.Family == IPAddressFamily.IPv6);
        var firstLabel = others.FirstOrDefault(o => o.Lab is null) is { } first ? Label(first.Name) : null;
        string fwd4 = firstLabel?.Forward4 ?? Sysctl.Get(_ns, Forward4Key);
        string fwd6 = firstLabel?.Forward6 ?? Sysctl.Get(_ns, Forward6Key);
        var label = new NetworkLabel(subnets, spec.Nat ? spec.Uplink : null, fwd4, fwd6);

        var undo = new UndoSteps();
        try
        {
            _rtnl.CreateLink(new LinkSpec { Name = spec.Name, Kind = LinkKind.Bridge, Up = true });
            undo.Push(() => _rtnl.DeleteLink(spec.Name));
            _rtnl.SetLinkAlias(spec.Name, label.Encode());
            foreach (var s in subnets)
                _rtnl.AddAddress(spec.Name, new IPPrefix(SubnetAllocator.Gateway(s), s.PrefixLength), NoDad);
            if (v4)
                SetForwarding(Forward4Key, undo);
            if (v6)
                SetForwarding(Forward6Key, undo);
            if (spec.Nat)
                NetworkNat.AddNetwork(_ns, spec.Name, subnets, spec.Uplink!, undo);
        }
        catch (NetNsException)
        {
            undo.Run();
            throw;
        }
        return Get(spec.Name);
    }

    /// <summary>The networks of this namespace, by name. Equivalent to: `ip -d link show type bridge` + the labels.</summary>
    public IReadOnlyList<NetNsNetwork> List()
    {
        var links = _rtnl.GetLinks();
        return links.Where(l => l.Kind == "bridge").Select(l => (Link: l, Tag: BridgeTag.Parse(l.Alias))).Where(b => b.Tag is not null)
            .OrderBy(b => b.Link.Name, StringComparer.Ordinal)
            .Select(b => Describe(b.Link, b.Tag!, links)).ToList();
    }

    /// <summary>
    /// Every network the caller can see: those of its own namespace, then those of each named namespace (/run/netns),
    /// labs' networks included (each says its namespace and lab). Equivalent to: `ip -d link show type bridge` in the
    /// caller's namespace and `ip -all netns exec ip -d link show type bridge`, with the labels read.
    /// </summary>
    public static IReadOnlyList<NetNsNetwork> ListAll()
    {
        var result = new List<NetNsNetwork>();
        using (var here = Open(NamespaceRef.Current))
            result.AddRange(here.List());
        foreach (string name in NamedNamespaces.ListNames())
        {
            try
            {
                using var ns = NamespaceHandle.OpenName(name);
                if (ns.IsCurrent)
                    continue; // listed above (a block inside this namespace)
                using var there = new NetworkManager(NetlinkHandle.Open(ns));
                result.AddRange(there.List());
            }
            catch (NetNsException)
            {
                // gone meanwhile, or a stale file: no network there
            }
        }
        return result;
    }

    /// <summary>
    /// The networks of lab <paramref name="lab"/> (its Networks entries, read from the namespaces it tagged as
    /// networks): what Get-NetNsNetwork -Lab and `Get-NetNsLab X | Get-NetNsNetwork` give.
    /// </summary>
    public static IReadOnlyList<NetNsNetwork> ListLab(string lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var result = new List<NetNsNetwork>();
        foreach (var ns in RunningLabReader.Read(lab, LabReadDetail.Namespaces).Namespaces.Where(n => n.Role == LabRole.Network))
        {
            try
            {
                using var there = Open(NamespaceRef.FromName(ns.Name));
                result.AddRange(there.List().Where(n => n.Lab == lab));
            }
            catch (NetNsException)
            {
                // removed meanwhile
            }
        }
        return result;
    }

    /// <summary>One network; NetworkNotFound when this namespace has none of that name.</summary>
    public NetNsNetwork Get(string name)
    {
        Names.CheckInterfaceName(name, "get network");
        return List().FirstOrDefault(n => n.Name == name) ?? throw NotFound(name);
    }

    /// <summary>
    /// Removes a network: its members' veth pairs, its NAT rules (NetNs's table goes with its last rule), its bridge,
    /// and, when it was NetNs's last network here, the forwarding values seen before the first.
    /// Equivalent to: `ip link del PORT` for each member; `iptables -t nat -D …`; `ip link del NAME`; `sysctl -w …=OLD`.
    /// </summary>
    public void Remove(string name)
    {
        var network = Get(name);
        CheckNotLab(network, "remove network");
        var label = Label(name)!;
        NetNsException? first = null;
        void Step(Action a)
        {
            try
            {
                a();
            }
            catch (NetNsException e)
            {
                first ??= e; // go on: leave as little behind as possible, then report the first failure
            }
        }
        foreach (var m in network.Members)
            Step(() => _rtnl.DeleteLink(m.BridgePort));
        if (network.Nat)
            Step(() => NetworkNat.RemoveNetwork(_ns, name));
        Step(() => _rtnl.DeleteLink(name));
        if (!List().Any(n => n.Lab is null))
        {
            if (label.Forward4 is { } f4)
                Step(() => Sysctl.Set(_ns, Forward4Key, f4));
            if (label.Forward6 is { } f6)
                Step(() => Sysctl.Set(_ns, Forward6Key, f6));
        }
        if (first is not null)
            throw first;
    }

    private void SetForwarding(string key, UndoSteps undo)
    {
        string before = Sysctl.Get(_ns, key);
        if (before == "1")
            return;
        Sysctl.Set(_ns, key, "1");
        undo.Push(() => Sysctl.Set(_ns, key, before));
    }

    // A lab's network changes with its lab's definition only: the imperative cmdlets see it, and leave it alone.
    private static void CheckNotLab(NetNsNetwork network, string operation)
    {
        if (network.Lab is string lab)
            throw NetNsException.Invalid(operation, network.Name,
                $"network '{network.Name}' belongs to lab '{lab}': change the lab's definition and run Deploy-NetNsLab (Remove-NetNsLab removes it)");
    }

    private NetworkLabel? Label(string name) => NetworkLabel.Parse(_rtnl.FindLink(name)?.Alias);

    private static List<IPPrefix> CheckSubnets(NetworkSpec spec)
    {
        if (spec.Subnets is null || spec.Subnets.Count == 0)
            throw NetNsException.Invalid("create network", spec.Name, "a network needs a subnet (-Subnet 198.18.10.0/24, and/or an IPv6 one)");
        var result = new List<IPPrefix>();
        foreach (var s in spec.Subnets)
        {
            if (!s.Network.Equals(s))
                throw NetNsException.Invalid("create network", s.ToString(), $"subnet {s} has host bits set; the network is {s.Network}");
            if (s.PrefixLength > s.MaxLength - 2 || s.PrefixLength < (s.Family == IPAddressFamily.IPv4 ? 8 : 48))
                throw NetNsException.Invalid("create network", s.ToString(),
                    $"subnet {s} is too {(s.PrefixLength > s.MaxLength - 2 ? "small (it needs room for a gateway and a member)" : "large")}");
            if (result.Any(r => r.Family == s.Family))
                throw NetNsException.Invalid("create network", s.ToString(), $"a network has at most one {s.Family} subnet");
            result.Add(s);
        }
        return result;
    }

    private NetNsException NotFound(string name) =>
        new(NetNsErrorReason.NetworkNotFound, "get network", $"network '{name}' not found{Where}", name);

    private string Where => NamespaceName is null ? "" : $" in namespace '{NamespaceName}'";

    /// <inheritdoc/>
    public void Dispose() => _rtnl.Dispose();
}
