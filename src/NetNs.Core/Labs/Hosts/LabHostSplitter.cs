using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NetNs.Core;

/// <summary>The part of a lab one machine runs: a plain (local) lab definition, deployed there by the local engine.</summary>
/// <param name="Host">The host, or null for the machine the lab is deployed from (nodes without a Host key).</param>
/// <param name="Definition">What that machine runs: its nodes, its links, and its share of each network.</param>
public sealed record LabHostPart(LabHostDefinition? Host, LabDefinition Definition)
{
    /// <summary>The host's name, or "local".</summary>
    public string HostName => Host?.Name ?? "local";
}

/// <summary>
/// Splits a lab whose nodes live on several hosts into one plain lab definition per host. A node lives on its Host
/// (or, without one, where the lab is deployed); a link lies on its nodes' host, or, between hosts, is carried as a
/// network of its two ends (named ln0, ln1…: a bridge on each host with the end's interface, joined by VXLAN, the
/// link's addresses, MTU and impairment). A network whose members are on one
/// host is that host's; one whose members are on several gets, on each of them, a namespace LAB-NET with a bridge
/// whose members are that host's members (with the addresses the whole network gives them, pinned), joined to the
/// others by a VXLAN port (<see cref="LabVxlanDefinition"/>: one VNI per lab network, the lab's Vxlan.Port, head-end
/// replication to every other host); its MTU is lowered by the VXLAN overhead unless the network sets one, and the
/// members on other hosts than the gateway's route by default through the gateway's addresses. Nodes without a Host
/// take part as one more host, at <see cref="LabDefinition.VxlanAddress"/> (<see cref="WithLocalAddress"/>).
/// </summary>
public static class LabHostSplitter
{
    /// <summary>The parts, local first, then by host name; a host with no node has no part.</summary>
    public static IReadOnlyList<LabHostPart> Split(LabDefinition d)
    {
        ArgumentNullException.ThrowIfNull(d);
        static Exception Unreachable(string key, string why) => new InvalidOperationException($"{key}: {why} (the definition was not validated)");
        var hostOf = d.Nodes.ToDictionary(n => n.Name, n => n.Host);
        var hosts = d.Hosts.ToDictionary(h => h.Name, StringComparer.Ordinal);
        var names = d.Nodes.Select(n => n.Host).Distinct().OrderBy(h => h is null ? "" : "\u0001" + h, StringComparer.Ordinal).ToList();
        var networks = names.ToDictionary(h => h ?? "", _ => new List<LabNetworkDefinition>());
        var extraRoutes = new Dictionary<string, List<LabRouteDefinition>>(StringComparer.Ordinal);
        // A link between hosts is carried as a network of its two ends (LinkNetwork): a bridge on each host, joined by
        // VXLAN; each end's interface keeps its name and gets the address the link gives it.
        var crossing = d.Links.Select((l, i) => (Link: l, Index: i)).Where(x => hostOf[x.Link.A.Node] != hostOf[x.Link.B.Node]).ToList();
        foreach (var net in d.Networks.Concat(crossing.Select(x => LinkNetwork(x.Link, x.Index))))
        {
            var spanned = net.Members.Select(m => hostOf[m.Node]).Distinct().ToList();
            if (spanned.Count < 2)
            {
                // one host's (a network with no member goes with the first part)
                networks[spanned.Count == 1 ? spanned[0] ?? "" : names[0] ?? ""].Add(net);
                continue;
            }
            var addresses = SubnetAllocator.Network(net, Unreachable);
            string? gatewayHost = net.Gateway is null ? null : hostOf[net.Gateway];
            var underlays = spanned.OrderBy(h => h, StringComparer.Ordinal).Select(h => (Host: h, Address: h is null
                ? d.VxlanAddress ?? throw new InvalidOperationException($"network '{net.Name}' joins this machine's nodes to hosts: its address is not known (LabHostSplitter.WithLocalAddress)")
                : hosts[h].Underlay!)).ToList();
            int overhead = underlays[0].Address.AddressFamily == AddressFamily.InterNetworkV6 ? LabVxlanDefinition.OverheadIPv6 : LabVxlanDefinition.OverheadIPv4;
            int mtu = net.Mtu ?? 1500 - overhead;
            int vni = VniOf(d.Name, net.Name);
            foreach (var (h, local) in underlays)
            {
                var members = net.Members.Where(m => hostOf[m.Node] == h)
                    .Select(m => new LabMemberDefinition(m.Node, addresses[m.Node].Select(p => p.Address).ToList(), m.Impairment)).ToList();
                var link = crossing.FirstOrDefault(x => LinkNetworkName(x.Index) == net.Name).Link;
                networks[h ?? ""].Add(new LabNetworkDefinition
                {
                    Name = net.Name,
                    Subnets = net.Subnets,
                    Members = members,
                    Gateway = gatewayHost == h ? net.Gateway : null,
                    Mtu = mtu,
                    // a link's end on this host keeps its own interface name
                    Interface = link is null ? net.Interface : (hostOf[link.A.Node] == h ? link.A : link.B).Interface,
                    Impairment = net.Impairment,
                    Vxlan = new LabVxlanDefinition(vni, local, underlays.Where(u => u.Host != h).Select(u => u.Address).ToList(), d.VxlanPort ?? LabVxlanDefinition.DefaultPort),
                });
                if (net.Gateway is null || gatewayHost == h)
                    continue;
                foreach (var m in members)
                {
                    var routes = extraRoutes.TryGetValue(m.Node, out var r) ? r : extraRoutes[m.Node] = [];
                    foreach (var gw in addresses[net.Gateway])
                        routes.Add(new LabRouteDefinition(new IPPrefix(gw.Family == IPAddressFamily.IPv4 ? IPAddress.Any : IPAddress.IPv6Any, 0), gw.Address));
                }
            }
        }
        var parts = new List<LabHostPart>();
        foreach (string? h in names)
        {
            var nodes = d.Nodes.Where(n => n.Host == h).Select(n => new LabNodeDefinition
            {
                Name = n.Name,
                Forwarding = n.Forwarding,
                Sysctls = n.Sysctls,
                Routes = [.. n.Routes, .. extraRoutes.GetValueOrDefault(n.Name) ?? []],
                Container = n.Container,
            }).ToList();
            var nodeNames = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
            parts.Add(new LabHostPart(h is null ? null : hosts[h], new LabDefinition
            {
                Name = d.Name,
                Nodes = nodes,
                Networks = networks[h ?? ""].OrderBy(n => n.Name, StringComparer.Ordinal).ToList(),
                Links = d.Links.Where(l => nodeNames.Contains(l.A.Node) && nodeNames.Contains(l.B.Node)).ToList(),
                Nat = d.Nat.Where(n => nodeNames.Contains(n.Node)).ToList(),
            }));
        }
        return parts;
    }

    /// <summary>
    /// The lab as if all were on one machine (no Hosts, no Host keys): what every host's nodes should reach, for
    /// Test-NetNsLab on each host (the split changes no address and no path between nodes).
    /// </summary>
    public static LabDefinition Flatten(LabDefinition d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new LabDefinition
        {
            Name = d.Name,
            Nodes = d.Nodes.Select(n => new LabNodeDefinition { Name = n.Name, Forwarding = n.Forwarding, Sysctls = n.Sysctls, Routes = n.Routes, Container = n.Container }).ToList(),
            Networks = d.Networks,
            Links = d.Links,
            Nat = d.Nat,
        };
    }

    /// <summary>The name of the network that carries Links[<paramref name="index"/>] between hosts: "ln" and its index.</summary>
    public static string LinkNetworkName(int index) => "ln" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // A link between hosts as a network of its two ends: its subnets, A the first address and B the second (as on one
    // host), its MTU and impairment; no gateway. The interface name is set per host by Split.
    private static LabNetworkDefinition LinkNetwork(LabLinkDefinition l, int index)
    {
        static Exception Unreachable(string key, string why) => new InvalidOperationException($"{key}: {why} (the definition was not validated)");
        var (a, b) = SubnetAllocator.Link(l, $"Links[{index}]", Unreachable);
        return new LabNetworkDefinition
        {
            Name = LinkNetworkName(index),
            Subnets = l.Subnets,
            Members = [new LabMemberDefinition(l.A.Node, a.Select(p => p.Address).ToList()), new LabMemberDefinition(l.B.Node, b.Select(p => p.Address).ToList())],
            Mtu = l.Mtu,
            Interface = l.A.Interface,
            Impairment = l.Impairment,
        };
    }

    /// <summary>
    /// The definition with this machine's VXLAN address: the one given (Vxlan.Address), or, when a network or link joins
    /// nodes without a Host to nodes on hosts, the address this machine sends from to the first of those hosts (by
    /// name), as the calling thread's namespace routes there. Equivalent to: `ip route get HOST-ADDRESS` (its src).
    /// </summary>
    public static LabDefinition WithLocalAddress(LabDefinition d)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (d.VxlanAddress is not null)
            return d;
        var hostOf = d.Nodes.ToDictionary(n => n.Name, n => n.Host);
        var joined = d.Networks.Select(n => n.Members.Select(m => m.Node).ToList()).Concat(d.Links.Select(l => new List<string> { l.A.Node, l.B.Node }))
            .Select(members => members.Select(m => hostOf.GetValueOrDefault(m)).Distinct().ToList())
            .Where(spanned => spanned.Count > 1 && spanned.Contains(null));
        var peer = joined.SelectMany(s => s.OfType<string>()).Distinct().Order(StringComparer.Ordinal)
            .Select(h => d.Hosts.First(x => x.Name == h)).FirstOrDefault();
        if (peer?.Underlay is not { } target)
            return d;
        try
        {
            // A connected UDP socket sends nothing: the kernel only picks its route and source address.
            using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(new IPEndPoint(target, d.VxlanPort ?? LabVxlanDefinition.DefaultPort));
            return d.WithVxlanAddress(((IPEndPoint)socket.LocalEndPoint!).Address);
        }
        catch (SocketException e)
        {
            throw new NetNsException(NetNsErrorReason.HostUnreachable, "deploy lab",
                $"this machine has no route to host {peer} at {target} for the VXLAN that joins it to the nodes without a Host ({e.Message}): give this machine's address as the lab's Vxlan = @{{ Address = '…' }}", peer.Name);
        }
    }

    /// <summary>Whether the lab spans hosts (it has Hosts): deployed by parts, one per host.</summary>
    public static bool SpansHosts(LabDefinition d) => d?.Hosts.Count > 0;

    /// <summary>
    /// The VNI of a lab network that spans hosts: from the lab's and the network's names (FNV-1a), in 4096–16777215
    /// (low VNIs are left to hand-made VXLANs). Two labs' networks may clash (one chance in 16 million per pair): the
    /// kernel then refuses the second device (a VXLAN with that VNI exists on the port), and the deploy says so.
    /// </summary>
    public static int VniOf(string lab, string network)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(lab + "\0" + network))
            hash = (hash ^ b) * 16777619;
        return (int)(4096 + hash % (0xFFFFFF - 4096 + 1));
    }
}
