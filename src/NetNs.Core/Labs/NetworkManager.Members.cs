using System.Net;

namespace NetNs.Core;

// Connecting namespaces to a network and disconnecting them; reading a network back from its links.
public sealed partial class NetworkManager
{
    /// <summary>
    /// Connects <paramref name="member"/> to network <paramref name="name"/>: a veth pair whose bridge end (labelled)
    /// is enslaved to the bridge and whose other end is made straight in the member as <paramref name="interfaceAlias"/>;
    /// lo and that end up; the given addresses, or the next free one of each subnet; a default route via each gateway.
    /// All or nothing: a failed step deletes the pair again.
    /// Equivalent to: `ip link add PORT type veth peer name eth0 netns NS; ip link set PORT master NAME up;
    /// ip -n NS link set lo up; ip -n NS link set eth0 up; ip -n NS addr add A/LEN dev eth0; ip -n NS route add default via GW`.
    /// </summary>
    public NetNsNetworkMember Connect(string name, NamespaceHandle member, IReadOnlyList<IPAddress>? addresses = null,
        string interfaceAlias = "eth0")
    {
        ArgumentNullException.ThrowIfNull(member);
        Names.CheckNewInterfaceName(interfaceAlias, "connect network");
        var network = Get(name);
        CheckNotLab(network, "connect network");
        if (_ns is null ? member.IsCurrent : member.Equals(_ns))
            throw NetNsException.Invalid("connect network", member.DisplayName,
                $"namespace '{member.DisplayName}' holds network '{name}' itself; connect another namespace");
        if (FindMember(network, member) is not null)
            throw NetNsException.Invalid("connect network", member.DisplayName, $"namespace '{member.DisplayName}' is already connected to network '{name}'");
        var chosen = ChooseAddresses(network, addresses ?? []);

        string port = PortName(name);
        var label = new MemberLabel(name, member.DisplayName, interfaceAlias, chosen);
        _rtnl.CreateVeth(new VethSpec { Name = port, PeerName = interfaceAlias, PeerNamespace = member });
        try
        {
            _rtnl.SetLinkAlias(port, label.Encode());
            _rtnl.SetMaster(port, name);
            _rtnl.SetLinkState(port, true);
            using var inside = NetlinkHandle.Open(member);
            inside.SetLinkState("lo", true);
            inside.SetLinkState(interfaceAlias, true);
            foreach (var a in chosen)
            {
                var gateway = SubnetAllocator.Gateway(network.Subnet.First(s => s.Family == a.Family));
                inside.SetInterfaceAddresses(interfaceAlias, [a], gateway, NoDad);
            }
        }
        catch (NetNsException)
        {
            try
            {
                _rtnl.DeleteLink(port); // deletes both ends, and the routes and addresses with them
            }
            catch (NetNsException)
            {
                // best effort: the original error is what the caller needs to see
            }
            throw;
        }
        return new NetNsNetworkMember { Network = name, NetworkNamespace = NamespaceName, Namespace = member.DisplayName, InterfaceAlias = interfaceAlias, BridgePort = port, IPAddress = chosen };
    }

    /// <summary>
    /// Disconnects <paramref name="member"/> from network <paramref name="name"/>: its veth pair is deleted (with the
    /// addresses and routes on it); NetworkNotFound when it is not connected. Equivalent to: `ip link del PORT`.
    /// </summary>
    public void Disconnect(string name, NamespaceHandle member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var network = Get(name);
        CheckNotLab(network, "disconnect network");
        var m = FindMember(network, member)
            ?? throw new NetNsException(NetNsErrorReason.NetworkNotFound, "disconnect network",
                $"namespace '{member.DisplayName}' is not connected to network '{name}'{Where}", member.DisplayName);
        _rtnl.DeleteLink(m.BridgePort);
    }

    private static NetNsNetworkMember? FindMember(NetNsNetwork network, NamespaceHandle member) =>
        network.Members.FirstOrDefault(m => m.Namespace == member.DisplayName || SameNamespace(m.Namespace, member));

    private static bool SameNamespace(string recorded, NamespaceHandle member)
    {
        try
        {
            using var h = NamespaceRef.Parse(recorded).Open();
            return h.Equals(member);
        }
        catch (NetNsException)
        {
            return false; // the recorded namespace is gone
        }
    }

    private static List<IPPrefix> ChooseAddresses(NetNsNetwork network, IReadOnlyList<IPAddress> given)
    {
        var used = network.Members.SelectMany(m => m.IPAddress.Select(a => a.Address)).ToHashSet();
        var chosen = new List<IPPrefix>();
        foreach (var a in given)
        {
            var subnet = network.Subnet.FirstOrDefault(s => s.Address.AddressFamily == a.AddressFamily);
            if (subnet == default || !SubnetAllocator.IsMemberAddress(subnet, a))
                throw NetNsException.Invalid("connect network", a.ToString(),
                    $"{a} is not a member address of network '{network.Name}' ({string.Join(", ", network.Subnet)}; the first host is the gateway)");
            if (used.Contains(a) || chosen.Any(c => c.Address.Equals(a)))
                throw NetNsException.FromErrno("connect network", Interop.Errno.EEXIST, ObjectKind.Address, a.ToString(), network.Namespace);
            chosen.Add(new IPPrefix(a, subnet.PrefixLength));
        }
        foreach (var s in network.Subnet.Where(s => chosen.All(c => c.Family != s.Family)))
            chosen.Add(new IPPrefix(SubnetAllocator.NextFree(s, used, network.Name), s.PrefixLength));
        return chosen;
    }

    // "lab-1a2b3c": the network's name cut to 8 bytes, and 6 random hex digits (at most 15 bytes).
    private static string PortName(string network)
    {
        string stem = network;
        while (System.Text.Encoding.UTF8.GetByteCount(stem) > 8)
            stem = stem[..^1];
        return $"{stem}-{Random.Shared.Next(0x1000000):x6}";
    }

    private NetNsNetwork Describe(NetNsLink bridge, BridgeTag tag, IReadOnlyList<NetNsLink> links)
    {
        var members = links.Where(l => l.MasterIndex == bridge.InterfaceIndex)
            .Select(l => (Port: l, Tag: PortTag.Parse(l.Alias, bridge.Name, _ns?.DisplayName)))
            .Where(p => p.Tag is not null && p.Tag.Lab == tag.Lab)
            .Select(p => new NetNsNetworkMember
            {
                Network = bridge.Name,
                NetworkNamespace = NamespaceName,
                Namespace = p.Tag!.MemberNamespace,
                InterfaceAlias = p.Tag.InterfaceAlias,
                BridgePort = p.Port.Name,
                IPAddress = tag.Lab is null ? p.Tag.Addresses : AddressesOf(p.Tag.MemberNamespace, p.Tag.InterfaceAlias),
            })
            .OrderBy(m => m.Namespace, StringComparer.Ordinal).ToList();
        // A lab's gateway is a member node (its first address); a standalone network's is on the bridge itself.
        var gateway = tag.Lab is null
            ? tag.Subnets.Select(SubnetAllocator.Gateway).ToList()
            : members.Where(m => tag.GatewayMember is string g && m.Namespace == LabDefinition.NamespaceOf(tag.Lab, g))
                .SelectMany(m => m.IPAddress.Select(a => a.Address)).ToList();
        return new NetNsNetwork
        {
            Name = bridge.Name,
            Namespace = NamespaceName,
            Lab = tag.Lab,
            Subnet = tag.Subnets,
            Gateway = gateway,
            Nat = tag.Uplink is not null,
            Uplink = tag.Uplink,
            Members = members,
        };
    }

    // A lab member's addresses on its interface, read in its namespace (a lab keeps them in no tag); none when it is gone.
    private static IReadOnlyList<IPPrefix> AddressesOf(string ns, string link)
    {
        try
        {
            using var rtnl = NetlinkHandle.Open(NamespaceRef.FromName(ns));
            return rtnl.GetAddresses(link).Where(a => a.Scope != "link" && IPPrefix.TryParseAddress(a.IPAddress, out _))
                .Select(a => new IPPrefix(IPAddress.Parse(a.IPAddress), a.PrefixLength)).ToList();
        }
        catch (NetNsException)
        {
            return [];
        }
    }
}
