using System.Net;

namespace NetNs.Core;

/// <summary>How much of a lab <see cref="RunningLabReader.Read"/> reads.</summary>
public enum LabReadDetail
{
    /// <summary>Everything: namespaces, bridges, veths, addresses, routes, forwarding switches.</summary>
    All,
    /// <summary>All but the sysctls.</summary>
    NoSysctls,
    /// <summary>Only the namespaces and their tags.</summary>
    Namespaces,
}

/// <summary>
/// Rebuilds running labs from the kernel alone: a lab's namespaces are the named namespaces "LAB-…" whose loopback
/// carries its tag; its bridges and veths are the links carrying its tags; addresses are those on tagged links
/// (not link-local), routes those with a next hop that NetNs added (protocol boot), sysctls the forwarding switches.
/// No state file: another process, or the next day, sees the same.
/// </summary>
public static class RunningLabReader
{
    private static readonly string[] ForwardingKeys = [Sysctl.Forward4, Sysctl.Forward6];

    // Namespaces whose sockets are opened in one trip to the worker thread while the previous ones are read.
    private const int OpenChunk = 32;

    /// <summary>The names of the labs running (tagged namespaces), sorted.</summary>
    public static IReadOnlyList<string> ListLabs()
    {
        var labs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string ns in NamedNamespaces.ListNames())
        {
            int dash = ns.IndexOf('-');
            if (dash <= 0)
                continue;
            string lab = ns[..dash];
            if (labs.Contains(lab))
                continue;
            if (ReadTag(ns, lab) is not null)
                labs.Add(lab);
        }
        return labs.ToList();
    }

    /// <summary>Whether a namespace of lab <paramref name="lab"/> is there (tagged or not).</summary>
    public static bool HasNamespaces(string lab) => NamespacesOf(lab).Any();

    /// <summary>
    /// The lab as it runs; a lab with no namespaces gives an empty model. <paramref name="detail"/>: Namespaces
    /// reads only the namespaces' tags (enough to remove a lab); NoSysctls leaves out the forwarding switches (the
    /// planner reads the sysctls it needs itself).
    /// </summary>
    public static LabModel Read(string lab, LabReadDetail detail = LabReadDetail.All, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var names = NamespacesOf(lab).ToList();
        if (detail == LabReadDetail.Namespaces)
            return ReadTags(lab, names);
        var parts = names.Select(_ => new LabModel { Name = lab }).ToArray();
        var handles = new NamespaceHandle?[names.Count];
        var open = new List<int>();
        NetlinkHandle?[] rtnls = [];
        try
        {
            // A chunk of namespaces at a time: their files opened, their sockets opened in one trip to the worker
            // thread, then read (any thread may use a socket) while the next chunk is being opened.
            rtnls = new NetlinkHandle?[names.Count];
            // Produced on this thread while the fan-out reads the previous chunk (any thread may use a socket).
            IEnumerable<int> Opened()
            {
                for (int start = 0; start < names.Count; start += OpenChunk)
                {
                    var chunk = new List<int>();
                    for (int i = start; i < Math.Min(start + OpenChunk, names.Count); i++)
                    {
                        try
                        {
                            handles[i] = NamespaceHandle.OpenName(names[i]);
                            chunk.Add(i);
                        }
                        catch (NetNsException)
                        {
                            parts[i].Untagged.Add(names[i]); // a stale file (a crash between creating the file and mounting): Remove deletes it
                        }
                    }
                    var sockets = NetlinkHandle.OpenEach(chunk.Select(i => handles[i]!).ToList(), out var openErrors);
                    for (int k = 0; k < chunk.Count; k++)
                        rtnls[chunk[k]] = sockets[k];
                    if (openErrors.FirstOrDefault(e => e is not null) is { } openError)
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(openError).Throw();
                    open.AddRange(chunk);
                    foreach (int i in chunk)
                        yield return i;
                }
            }
            // A chunk of namespaces at a time: their files opened, their sockets opened in one trip to the worker
            // thread, then read by the fan-out while the next chunk is being opened.
            FanOut.ForEach(Opened(), names.Count, i => ReadNamespace(parts[i], names[i], rtnls[i]!), Math.Min(4, Environment.ProcessorCount), perThread: 16, cancel: cancel);
            if (detail == LabReadDetail.All)
                ReadForwarding(parts, open.Where(i => parts[i].Namespaces.Any(n => n.Role == LabRole.Node && n.Container is null)).ToList(), names, handles);
        }
        finally
        {
            foreach (var r in rtnls)
                r?.Dispose();
            foreach (var h in handles)
                h?.Dispose();
        }
        var m = new LabModel { Name = lab };
        var veths = new Dictionary<(string, string, string, string), int>();
        var ends = new Dictionary<(string, string, string, string), (bool A, bool B)>();
        for (int i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            foreach (var v in p.Veths)
            {
                var seen = ends.GetValueOrDefault(v.Key);
                ends[v.Key] = (seen.A || v.Namespace == names[i], seen.B || v.PeerNamespace == names[i]);
            }
            m.Namespaces.AddRange(p.Namespaces);
            m.Bridges.AddRange(p.Bridges);
            m.Addresses.AddRange(p.Addresses);
            m.Routes.AddRange(p.Routes);
            m.Sysctls.AddRange(p.Sysctls);
            m.Nat.AddRange(p.Nat);
            m.Vxlans.AddRange(p.Vxlans);
            m.Untagged.AddRange(p.Untagged);
            m.Shaped.UnionWith(p.Shaped);
            m.ImpairmentTables.UnionWith(p.ImpairmentTables);
            foreach (var v in p.Veths)
                MergeVeth(m, veths, v);
        }
        // A veth with a tag on one end only was being made when a deploy was killed: not the lab's yet (the next
        // deploy plans it again and takes it over, tagging both ends).
        m.Veths.RemoveAll(v => ends.TryGetValue(v.Key, out var e) && !(e.A && e.B));
        return m;
    }

    // Only the loopback tags: each read on the worker thread inside its namespace (one GET on a socket opened and
    // closed there), with no hand-over of sockets to reader threads.
    private static LabModel ReadTags(string lab, List<string> names)
    {
        var m = new LabModel { Name = lab };
        var open = new List<string>();
        var handles = new List<NamespaceHandle>();
        try
        {
            foreach (string ns in names)
            {
                try
                {
                    handles.Add(NamespaceHandle.OpenName(ns));
                    open.Add(ns);
                }
                catch (NetNsException)
                {
                    m.Untagged.Add(ns); // a stale file (a crash between creating the file and mounting): Remove deletes it
                }
            }
            var aliases = NetlinkHandle.ReadLoopbackAliases(handles, out var errors);
            if (errors.FirstOrDefault(e => e is not null) is { } error)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
            for (int k = 0; k < open.Count; k++)
                AddByTag(m, open[k], aliases[k]);
        }
        finally
        {
            foreach (var h in handles)
                h.Dispose();
        }
        return m;
    }

    // A namespace is the lab's when its loopback carries the lab's node or network tag naming that very namespace.
    private static void AddByTag(LabModel m, string ns, string? loopbackAlias)
    {
        if (LabTags.Parse(loopbackAlias, m.Name) is [("node" or "network") and var r, var mem, .. var extra] && LabDefinition.NamespaceOf(m.Name, mem) == ns)
            m.Namespaces.Add(new LabNamespaceSpec(ns, r == "node" ? LabRole.Node : LabRole.Network, mem, r == "node" ? LabTags.ContainerOf(extra) : null));
        else
            m.Untagged.Add(ns);
    }

    private static IEnumerable<string> NamespacesOf(string lab) =>
        NamedNamespaces.ListNames().Where(n => n.StartsWith(lab + "-", StringComparison.Ordinal) && n.Length > lab.Length + 1);

    // Both forwarding switches of every node, in one trip to the worker thread (/proc/sys/net follows its namespace).
    private static void ReadForwarding(LabModel[] parts, List<int> nodes, List<string> names, NamespaceHandle?[] handles)
    {
        var values = NamespaceWorker.RunEach(nodes.Select(i => handles[i]!).ToList(),
            _ => ForwardingKeys.Select(k => Sysctl.TryReadHere(Sysctl.PathOf(k))).ToArray(), out var errors);
        if (errors.FirstOrDefault(e => e is not null) is { } error)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        for (int k = 0; k < nodes.Count; k++)
        {
            for (int j = 0; j < ForwardingKeys.Length; j++)
            {
                if (values[k][j] == "1")
                    parts[nodes[k]].Sysctls.Add(new LabSysctlSpec(names[nodes[k]], ForwardingKeys[j], "1"));
            }
        }
    }

    private static void ReadNamespace(LabModel m, string ns, NetlinkHandle rtnl)
    {
        var links = rtnl.DumpLinks();
        var lo = links.FirstOrDefault(l => l.IsLoopback);
        string[]? tag = LabTags.Parse(lo?.Alias, m.Name);
        if (tag is not [("node" or "network") and var role, var member, .. var extra] || LabDefinition.NamespaceOf(m.Name, member) != ns)
        {
            m.Untagged.Add(ns);
            return;
        }
        var labRole = role == "node" ? LabRole.Node : LabRole.Network;
        string? container = labRole == LabRole.Node ? LabTags.ContainerOf(extra) : null;
        m.Namespaces.Add(new LabNamespaceSpec(ns, labRole, member, container));
        foreach (string word in extra.Where(w => w.StartsWith(LabTags.NatWord, StringComparison.Ordinal) && w.Length > LabTags.NatWord.Length))
            m.Nat.Add(new LabNatDefinition(ns, word[LabTags.NatWord.Length..]));
        var names = links.ToDictionary(l => l.Index, l => l.Name);
        var tagged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in links)
        {
            switch (LabTags.Parse(l.Alias, m.Name))
            {
                case ["bridge", _, var subnets, .. var rest] when l.Kind == "bridge":
                    tagged.Add(l.Name);
                    m.Bridges.Add(new LabBridgeSpec(ns, l.Name, l.Mtu, subnets == "-" ? "" : subnets, rest.FirstOrDefault()));
                    break;
                case ["vxlan", ..] and var words when l.Kind == "vxlan" && LabVxlanSpec.FromTag(ns, l.Name, l.Master > 0 ? names.GetValueOrDefault(l.Master) : null, l.Mtu, words) is { } vx:
                    m.Vxlans.Add(vx);
                    break;
                case ["veth", var a, var b] when l.Kind == "veth":
                    tagged.Add(l.Name);
                    if (l.Qdisc is not (null or "noqueue" or "noop"))
                        m.Shaped.Add((ns, l.Name));
                    AddVethEnd(m, ns, l.Name, a, b, l.Master > 0 ? names.GetValueOrDefault(l.Master) : null, l.Mtu);
                    break;
            }
        }
        if (ImpairmentRules.HasTable(rtnl.Namespace))
            m.ImpairmentTables.Add(ns);
        foreach (var a in rtnl.GetAddresses(names))
        {
            if (tagged.Contains(a.InterfaceAlias) && a.Scope != "link" && IPPrefix.TryParseAddress(a.IPAddress, out var ip))
                m.Addresses.Add(new LabAddressSpec(ns, a.InterfaceAlias, new IPPrefix(ip, a.PrefixLength)));
        }
        foreach (var r in rtnl.GetAddedRoutes(names))
        {
            // In a container's namespace only the routes out of the lab's links are the lab's (not its own default).
            if (container is not null && !tagged.Contains(r.InterfaceAlias ?? ""))
                continue;
            if (r.Protocol == "boot" && r.Table == 254 && IPPrefix.TryParseAddress(r.NextHop, out var gw)
                && !gw.Equals(IPAddress.Any) && !gw.Equals(IPAddress.IPv6Any))
                m.Routes.Add(new LabRouteSpec(ns, IPPrefix.Parse(r.DestinationPrefix), gw));
        }
    }

    // Two namespaces' views of one pair: the peer's end knows the master.
    private static void MergeVeth(LabModel m, Dictionary<(string, string, string, string), int> index, LabVethSpec v)
    {
        if (!index.TryGetValue(v.Key, out int i))
        {
            index[v.Key] = m.Veths.Count;
            m.Veths.Add(v);
        }
        else if (v.PeerMaster is not null)
            m.Veths[i] = m.Veths[i] with { PeerMaster = v.PeerMaster };
    }

    // Each end of a pair is seen in its own namespace; the pair is added once, with what each end knows merged.
    private static void AddVethEnd(LabModel m, string ns, string name, string a, string b, string? master, int mtu)
    {
        var (aNs, aName) = Split(m.Name, a);
        var (bNs, bName) = Split(m.Name, b);
        int index = m.Veths.FindIndex(v => v.Key == (aNs, aName, bNs, bName));
        var existing = index >= 0 ? m.Veths[index] : new LabVethSpec(aNs, aName, bNs, bName, null, mtu);
        if (ns == bNs && name == bName)
            existing = existing with { PeerMaster = master };
        if (index >= 0)
            m.Veths[index] = existing;
        else
            m.Veths.Add(existing);
    }

    private static (string Ns, string Name) Split(string lab, string end)
    {
        int colon = end.LastIndexOf(':');
        return (LabDefinition.NamespaceOf(lab, end[..colon]), end[(colon + 1)..]);
    }

    private static string[]? ReadTag(string ns, string lab)
    {
        try
        {
            using var h = NamespaceHandle.OpenName(ns);
            using var rtnl = NetlinkHandle.Open(h);
            return LabTags.Parse(rtnl.DumpLinks().FirstOrDefault(l => l.IsLoopback)?.Alias, lab);
        }
        catch (NetNsException)
        {
            return null;
        }
    }
}
