using NetNs.Core.Netlink;

namespace NetNs.Core;

public sealed partial class NetlinkHandle
{
    /// <summary>
    /// A change message from the namespace's multicast groups as a <see cref="NetNsEvent"/> (null when it is of a kind
    /// not asked for). Link messages keep <paramref name="names"/> (ifindex → name) current for the others.
    /// Equivalent to one line of `ip monitor link address route`.
    /// </summary>
    internal NetNsEvent? DecodeEvent(in NetlinkHeader h, ReadOnlySpan<byte> payload, Dictionary<int, string> names, NetNsEventKind kinds)
    {
        bool deleted = h.Type is MessageType.DelLink or MessageType.DelAddr or MessageType.DelRoute;
        var asNew = h with
        {
            Type = h.Type switch
            {
                MessageType.DelLink => MessageType.NewLink,
                MessageType.DelAddr => MessageType.NewAddr,
                MessageType.DelRoute => MessageType.NewRoute,
                _ => h.Type,
            },
        };
        string action = deleted ? "Deleted" : "New";
        const string prefix = ""; // the Action says Deleted
        switch (asNew.Type)
        {
            case MessageType.NewLink when LinkMessage.Parse(asNew, payload, out var m):
                if (deleted)
                    names.Remove(m.Index);
                else
                    names[m.Index] = m.Name;
                if (!kinds.HasFlag(NetNsEventKind.Link))
                    return null;
                var link = ToLink(m, names, new PeerResolver(this));
                return Event(NetNsEventKind.Link, action, link.Name, link,
                    $"{prefix}{m.Index}: {link.Name}: <{string.Join(",", link.Flags)}> mtu {link.Mtu} state {link.OperationalState}");
            case MessageType.NewAddr when kinds.HasFlag(NetNsEventKind.Address) && ParseAddress(asNew, payload, names, out var a):
                string family = a.AddressFamily == IPAddressFamily.IPv4 ? "inet" : "inet6";
                return Event(NetNsEventKind.Address, action, $"{a.IPAddress}/{a.PrefixLength}", a,
                    $"{prefix}{a.InterfaceIndex}: {a.InterfaceAlias} {family} {a.IPAddress}/{a.PrefixLength} scope {a.Scope}");
            case MessageType.NewRoute when kinds.HasFlag(NetNsEventKind.Route) && ParseRoute(asNew, payload, names, out var r):
                string via = Via(r);
                string dev = r.InterfaceAlias is null ? "" : $" dev {r.InterfaceAlias}";
                return Event(NetNsEventKind.Route, action, r.DestinationPrefix, r, $"{prefix}{r.DestinationPrefix}{via}{dev}");
            default:
                return null;
        }
    }

    /// <summary>The links, addresses and routes there are now, as Present events (what -Initial writes first).</summary>
    internal IEnumerable<NetNsEvent> PresentEvents(NetNsEventKind kinds)
    {
        if (kinds.HasFlag(NetNsEventKind.Link))
        {
            foreach (var l in GetLinks())
                yield return Event(NetNsEventKind.Link, "Present", l.Name, l, $"{l.InterfaceIndex}: {l.Name}: <{string.Join(",", l.Flags)}> mtu {l.Mtu} state {l.OperationalState}");
        }
        if (kinds.HasFlag(NetNsEventKind.Address))
        {
            foreach (var a in GetAddresses())
                yield return Event(NetNsEventKind.Address, "Present", $"{a.IPAddress}/{a.PrefixLength}", a,
                    $"{a.InterfaceIndex}: {a.InterfaceAlias} {(a.AddressFamily == IPAddressFamily.IPv4 ? "inet" : "inet6")} {a.IPAddress}/{a.PrefixLength} scope {a.Scope}");
        }
        if (kinds.HasFlag(NetNsEventKind.Route))
        {
            foreach (var r in GetRoutes())
                yield return Event(NetNsEventKind.Route, "Present", r.DestinationPrefix, r,
                    $"{r.DestinationPrefix}{Via(r)}{(r.InterfaceAlias is null ? "" : " dev " + r.InterfaceAlias)}");
        }
    }

    private static string Via(NetNsRoute r) => r.NextHop is "" or "0.0.0.0" or "::" ? "" : " via " + r.NextHop;

    /// <summary>ifindex → name of every link now.</summary>
    internal Dictionary<int, string> LinkNames() => DumpLinks().ToDictionary(m => m.Index, m => m.Name);

    private NetNsEvent Event(NetNsEventKind kind, string action, string name, object o, string summary) => new()
    {
        Time = DateTime.Now,
        Namespace = NamespaceName,
        Kind = kind,
        Action = action,
        Name = name,
        Object = o,
        Summary = summary,
    };
}
