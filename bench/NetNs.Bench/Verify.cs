using NetNs.Core;

namespace NetNs.Bench;

/// <summary>
/// Checks a built topology (read-only, outside the timings): every namespace exists, the bridge has N ports,
/// all up, and its address; a few sample namespaces have lo and eth0 up, their address and the default route.
/// </summary>
internal static class Verify
{
    public static void Built(Topology t)
    {
        int present = NamedNamespaces.ListNames().Count(n => n.StartsWith(t.Tag, StringComparison.Ordinal));
        if (present != t.N + 1)
            throw new BenchException($"expected {t.N + 1} namespaces named {t.Tag}*, found {present}");

        using (var br = NetlinkHandle.Open(NamespaceRef.FromName(t.BridgeNamespace)))
        {
            var bridge = br.GetLink(Topology.BridgeName);
            if (bridge.State != LinkState.Up)
                throw new BenchException($"{Topology.BridgeName} in {t.BridgeNamespace} is not up");
            var ports = br.GetBridgePorts(Topology.BridgeName);
            if (ports.Count != t.N || ports.Any(p => p.State != LinkState.Up))
                throw new BenchException($"{Topology.BridgeName} has {ports.Count} ports ({ports.Count(p => p.State == LinkState.Up)} up), expected {t.N} up");
            if (!br.GetAddresses(Topology.BridgeName, IPAddressFamily.IPv4)
                    .Any(a => a.IPAddress == Topology.BridgeAddress && a.PrefixLength == Topology.PrefixLength))
                throw new BenchException($"{Topology.BridgeName} lacks {Topology.BridgeAddressWithPrefix}");
        }

        foreach (int i in new[] { 0, t.N / 2, t.N - 1 }.Distinct())
        {
            string name = t.Namespace(i);
            using var h = NetlinkHandle.Open(NamespaceRef.FromName(name));
            foreach (string link in new[] { "lo", Topology.PeerName })
            {
                if (h.GetLink(link).State != LinkState.Up)
                    throw new BenchException($"{link} in {name} is not up");
            }
            if (!h.GetAddresses(Topology.PeerName, IPAddressFamily.IPv4)
                    .Any(a => a.IPAddress == Topology.Address(i) && a.PrefixLength == Topology.PrefixLength))
                throw new BenchException($"{Topology.PeerName} in {name} lacks {Topology.AddressWithPrefix(i)}");
            if (!h.GetRoutes(IPAddressFamily.IPv4).Any(r => r.DestinationPrefix == "0.0.0.0/0" && r.NextHop == Topology.BridgeAddress))
                throw new BenchException($"{name} has no default route via {Topology.BridgeAddress}");
        }
    }

    /// <summary>After teardown: no namespace with the tag is left.</summary>
    public static void Gone(Topology t)
    {
        int left = NamedNamespaces.ListNames().Count(n => n.StartsWith(t.Tag, StringComparison.Ordinal));
        if (left != 0)
            throw new BenchException($"teardown left {left} namespaces named {t.Tag}*");
    }
}
