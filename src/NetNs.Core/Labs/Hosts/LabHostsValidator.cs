namespace NetNs.Core;

/// <summary>
/// The checks of a definition's Hosts and nodes' Host keys: host entries ssh can take (no option-like or multi-line
/// values), Host keys that name a host, networks and links spanning hosts only between hosts with an underlay
/// address, all of one family (a link between hosts is carried as a network named ln + its index, which must be
/// free). Nodes without a Host may share them: this machine's address is Vxlan.Address, or found when deployed.
/// </summary>
internal sealed class LabHostsValidator(Func<string, string, NetNsException> fail)
{
    public void Validate(LabDefinition d)
    {
        var hosts = d.Hosts.ToDictionary(h => h.Name, StringComparer.Ordinal);
        foreach (var h in d.Hosts)
            CheckHost(h);
        foreach (var n in d.Nodes.Where(n => n.Host is not null))
        {
            if (!hosts.ContainsKey(n.Host!))
                throw fail($"Nodes.{n.Name}.Host", d.Hosts.Count == 0
                    ? $"the lab has no Hosts: add Hosts = @{{ {n.Host} = @{{ HostName = '…' }} }}"
                    : $"there is no host '{n.Host}' (hosts: {string.Join(", ", d.Hosts.Select(h => h.Name))})");
        }
        var hostOf = d.Nodes.ToDictionary(n => n.Name, n => n.Host);
        foreach (var net in d.Networks)
        {
            string key = "Networks." + net.Name;
            if (net.Vxlan is { } own && net.Members.Any(m => m.Node == own.DeviceName))
                throw fail(key + ".Members", $"the node name '{own.DeviceName}' is the name of this network's VXLAN port on its bridge: rename the node");
            var spanned = net.Members.Select(m => hostOf.GetValueOrDefault(m.Node)).Distinct().ToList();
            if (spanned.Count < 2)
                continue;
            if (net.Vxlan is not null)
                throw fail(key + ".Vxlan", $"network '{net.Name}' spans hosts: its VXLAN is made by the lab (set the port with the lab's Vxlan = @{{ Port = … }})");
            foreach (string h in spanned.OfType<string>())
            {
                if (hosts[h].Underlay is null)
                    throw fail($"Hosts.{h}.Address", $"network '{net.Name}' spans host '{h}', whose HostName '{hosts[h].HostName}' is not an IP address: give its address for VXLAN (Address = '…')");
            }
            if (spanned.Select(h => h is null ? d.VxlanAddress : hosts[h].Underlay!).OfType<System.Net.IPAddress>().Select(a => a.AddressFamily).Distinct().Count() > 1)
                throw fail(key + ".Members", $"network '{net.Name}' spans hosts whose addresses are of different families (IPv4 and IPv6)");
            foreach (var m in net.Members.Where(m => m.Node.StartsWith("vx", StringComparison.Ordinal) && m.Node.Length > 2 && m.Node[2..].All(char.IsAsciiDigit)))
                throw fail(key + ".Members", $"the node name '{m.Node}' is the name of the VXLAN port on the bridge of a network that spans hosts: rename the node");
        }
        var taken = d.Networks.Select(n => n.Name).Concat(d.Nodes.Select(n => n.Name)).ToHashSet(StringComparer.Ordinal);
        for (int i = 0; i < d.Links.Count; i++)
        {
            var l = d.Links[i];
            string? ha = hostOf.GetValueOrDefault(l.A.Node), hb = hostOf.GetValueOrDefault(l.B.Node);
            if (ha == hb)
                continue;
            // Carried by VXLAN between the hosts' own addresses, as a network of its two ends.
            string net = LabHostSplitter.LinkNetworkName(i);
            if (taken.Contains(net))
                throw fail($"Links[{i}]", $"the link between hosts is carried by a network named '{net}', which is also a node or network of the lab: rename that one");
            foreach (string h in new[] { ha, hb }.OfType<string>())
            {
                if (hosts[h].Underlay is null)
                    throw fail($"Hosts.{h}.Address", $"the link {l.A} – {l.B} spans host '{h}', whose HostName '{hosts[h].HostName}' is not an IP address: give its address for VXLAN (Address = '…')");
            }
        }
    }

    private void CheckHost(LabHostDefinition h)
    {
        string key = "Hosts." + h.Name;
        if (!char.IsAsciiLetterOrDigit(h.Name[0]) || !h.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            throw fail(key, $"the host name '{h.Name}' may hold only letters, digits, '_', '-' and '.', starting with a letter or digit");
        CheckSshWord(h.HostName, key + ".HostName", "a host name or address");
        if (h.UserName is not null)
            CheckSshWord(h.UserName, key + ".UserName", "a user name");
        if (h.KeyFilePath is not null && h.KeyFilePath.Any(char.IsControl))
            throw fail(key + ".KeyFilePath", "a path cannot contain control characters");
        foreach (var (k, v) in h.Options)
        {
            if (k.Length == 0 || !k.All(char.IsAsciiLetterOrDigit))
                throw fail($"{key}.Options.{k}", $"'{k}' is not an ssh option name (letters and digits, e.g. UserKnownHostsFile)");
            if (v.Any(char.IsControl))
                throw fail($"{key}.Options.{k}", "an ssh option's value cannot contain control characters (a newline)");
            // never a password or host-key prompt: a deploy may run with no one to answer it
            if (k.Equals("BatchMode", StringComparison.OrdinalIgnoreCase) && !v.Equals("yes", StringComparison.OrdinalIgnoreCase))
                throw fail($"{key}.Options.{k}", "NetNs always runs ssh with BatchMode=yes (key authentication, no prompt): leave BatchMode out");
        }
    }

    // ssh takes these as words of its command line: one that starts with '-' would be read as an option.
    private void CheckSshWord(string value, string key, string what)
    {
        if (value.StartsWith('-') || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            throw fail(key, $"'{value}' is not {what} (no spaces or control characters, not starting with '-')");
    }
}
