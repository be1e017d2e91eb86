using System.Globalization;

namespace NetNs.Core;

/// <summary>
/// Finds the VXLAN ports of other labs on this machine that a lab's ports would clash with: the kernel refuses a
/// second VXLAN device with the same VNI on the same UDP port while both sockets are in one namespace (the host's),
/// so a clash is an error of the plan, before anything changes, naming the lab that has the VNI. Ports are compared
/// by VNI, UDP port and local address.
/// </summary>
public static class LabVxlanClash
{
    /// <summary>
    /// Throws when a VXLAN port of <paramref name="desired"/> has the VNI and port of another lab's port here.
    /// Equivalent to: `ip -n NS -d link show type vxlan` in every lab network namespace of other labs.
    /// </summary>
    public static void Check(LabModel desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (desired.Vxlans.Count == 0)
            return;
        // Ports with the same local address: another lab's deployed from this namespace (the host's). One with another
        // local address was made from another namespace (a host of its own on this machine, as the tests' are).
        var wanted = desired.Vxlans.Select(v => (v.Id, v.Port, v.Local)).ToHashSet();
        var names = NamedNamespaces.ListNames().Where(n => !n.StartsWith(desired.Name + "-", StringComparison.Ordinal)).ToList();
        var handles = new List<NamespaceHandle>();
        try
        {
            foreach (string ns in names)
            {
                try
                {
                    handles.Add(NamespaceHandle.OpenName(ns));
                }
                catch (NetNsException)
                {
                    handles.Add(null!); // a stale file: no namespace, no VXLAN
                }
            }
            var open = handles.Where(h => h is not null).ToList();
            var aliases = NetlinkHandle.ReadLoopbackAliases(open, out _);
            for (int i = 0; i < open.Count; i++)
            {
                // Only a lab's network namespaces hold VXLAN ports.
                if (LabTags.LabOf(aliases[i]) is not { } lab || LabTags.Parse(aliases[i], lab) is not ["network", ..])
                    continue;
                using var rtnl = NetlinkHandle.Open(open[i]);
                foreach (var l in rtnl.DumpLinks().Where(l => l.Kind == "vxlan"))
                {
                    if (LabTags.Parse(l.Alias, lab) is ["vxlan", var net, var id, var local, var port, _]
                        && int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int vni)
                        && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p)
                        && wanted.Contains((vni, p, local)))
                    {
                        var mine = desired.Vxlans.First(v => v.Id == vni && v.Port == p && v.Local == local);
                        throw NetNsException.Invalid("deploy lab", desired.MemberOf(mine.Namespace),
                            $"network '{desired.MemberOf(mine.Namespace)}' of lab '{desired.Name}' needs VXLAN {vni} on UDP port {p}, which network '{net}' of lab '{lab}' has on this machine: rename the network or the lab (the VNI comes from their names), or give the lab another port (Vxlan = @{{ Port = … }})");
                    }
                }
            }
        }
        finally
        {
            foreach (var h in handles)
                h?.Dispose();
        }
    }
}
