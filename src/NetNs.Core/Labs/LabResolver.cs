namespace NetNs.Core;

/// <summary>
/// Turns a validated definition into kernel objects: a namespace per node and per network, a bridge in each network
/// namespace, a veth per member (NODE side named after the network's Interface, bridge side named after the node)
/// and per link, the addresses <see cref="SubnetAllocator"/> gives, default routes via gateways, static routes and sysctls.
/// </summary>
public static class LabResolver
{
    /// <summary>The kernel objects <paramref name="d"/> stands for.</summary>
    public static LabModel Resolve(LabDefinition d)
    {
        ArgumentNullException.ThrowIfNull(d);
        static Exception Unreachable(string key, string why) => new InvalidOperationException($"{key}: {why} (the definition was not validated)");
        string Ns(string member) => LabDefinition.NamespaceOf(d.Name, member);
        var m = new LabModel { Name = d.Name };
        foreach (var n in d.Nodes)
        {
            m.Namespaces.Add(new LabNamespaceSpec(Ns(n.Name), LabRole.Node, n.Name, n.Container));
            if (n.Forwarding)
            {
                m.Sysctls.Add(new LabSysctlSpec(Ns(n.Name), Sysctl.Forward4, "1"));
                m.Sysctls.Add(new LabSysctlSpec(Ns(n.Name), Sysctl.Forward6, "1"));
            }
            foreach (var (k, v) in n.Sysctls)
                m.Sysctls.Add(new LabSysctlSpec(Ns(n.Name), k, v));
            foreach (var r in n.Routes)
                m.Routes.Add(new LabRouteSpec(Ns(n.Name), r.Destination, r.Via));
        }
        foreach (var net in d.Networks)
        {
            string ns = Ns(net.Name);
            m.Namespaces.Add(new LabNamespaceSpec(ns, LabRole.Network, net.Name));
            m.Bridges.Add(new LabBridgeSpec(ns, net.Name, net.Mtu, string.Join(",", net.Subnets), net.Gateway));
            if (net.Vxlan is { } vx)
                m.Vxlans.Add(LabVxlanSpec.Of(ns, net, vx));
            var addresses = SubnetAllocator.Network(net, Unreachable);
            foreach (var member in net.Members)
            {
                m.Veths.Add(new LabVethSpec(Ns(member.Node), net.Interface, ns, member.Node, net.Name, net.Mtu));
                foreach (var a in addresses[member.Node])
                    m.Addresses.Add(new LabAddressSpec(Ns(member.Node), net.Interface, a));
            }
            if (net.Gateway is not null)
            {
                foreach (var member in net.Members.Where(x => x.Node != net.Gateway))
                {
                    foreach (var gw in addresses[net.Gateway])
                        m.Routes.Add(new LabRouteSpec(Ns(member.Node), new IPPrefix(gw.Family == IPAddressFamily.IPv4 ? System.Net.IPAddress.Any : System.Net.IPAddress.IPv6Any, 0), gw.Address));
                }
            }
        }
        for (int i = 0; i < d.Links.Count; i++)
        {
            var l = d.Links[i];
            m.Veths.Add(new LabVethSpec(Ns(l.A.Node), l.A.Interface, Ns(l.B.Node), l.B.Interface, null, l.Mtu));
            var (a, b) = SubnetAllocator.Link(l, $"Links[{i}]", Unreachable);
            m.Addresses.AddRange(a.Select(p => new LabAddressSpec(Ns(l.A.Node), l.A.Interface, p)));
            m.Addresses.AddRange(b.Select(p => new LabAddressSpec(Ns(l.B.Node), l.B.Interface, p)));
        }
        m.Nat.AddRange(d.Nat.Select(n => new LabNatDefinition(Ns(n.Node), n.Interface)));
        return m;
    }
}
