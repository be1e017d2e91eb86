using System.Buffers.Binary;
using System.Net;
using NetNs.Core.Netlink;

namespace NetNs.Core;

public sealed partial class NetlinkHandle
{
    /// <summary>
    /// Unicast routes of the main table, optionally of one family.
    /// Equivalent to: `ip route show` and `ip -6 route show`.
    /// </summary>
    public IReadOnlyList<NetNsRoute> GetRoutes(IPAddressFamily? family = null) =>
        GetRoutes(DumpLinks().ToDictionary(l => l.Index, l => l.Name), family);

    /// <summary>The routes, with link names from a link dump the caller already has.</summary>
    internal IReadOnlyList<NetNsRoute> GetRoutes(Dictionary<int, string> names, IPAddressFamily? family = null) =>
        DumpRoutes(names, family, 0);

    /// <summary>
    /// The main table's routes that NetNs (or `ip route add`) added, protocol boot, filtered by the kernel (a
    /// strict-check dump, NLM_F_DUMP_FILTERED), so the local table and the kernel's own routes never come back.
    /// Equivalent to: `ip route show table main proto boot` and `ip -6 route show table main proto boot`.
    /// </summary>
    internal IReadOnlyList<NetNsRoute> GetAddedRoutes(Dictionary<int, string> names) =>
        DumpRoutes(names, null, Rta.ProtoBoot);

    private IReadOnlyList<NetNsRoute> DumpRoutes(Dictionary<int, string> names, IPAddressFamily? family, byte protocol)
    {
        var req = new MessageWriter(MessageType.GetRoute, NetlinkFlags.Dump);
        req.Struct(new RtMsg { Family = (byte)(family ?? 0), Table = protocol == 0 ? (byte)0 : Rta.TableMain, Protocol = protocol });
        var list = _socket.Query<NetNsRoute>(req, (in NetlinkHeader h, ReadOnlySpan<byte> p, out NetNsRoute r) => ParseRoute(h, p, names, out r),
            Context("list routes", ObjectKind.Route, null));
        // The kernel filters only on a strict-check socket (every NetNs socket is one); filter again all the same.
        return list.Where(r => (family is null || r.AddressFamily == family) && (protocol == 0 || r.Protocol == ProtocolName(protocol))).ToList();
    }

    /// <summary>
    /// Adds a route; RouteExists when an equal one is there.
    /// Equivalent to: `ip route add DEST [via GW] [dev NAME] [metric N]`.
    /// </summary>
    public void AddRoute(RouteSpec route) => _ = WriteRoute(route, MessageType.NewRoute, NetlinkFlags.Create | NetlinkFlags.Excl, "add");

    /// <summary>Adds or replaces a route (idempotent). Equivalent to: `ip route replace DEST [via GW] [dev NAME] [metric N]`.</summary>
    public void ReplaceRoute(RouteSpec route) => _ = WriteRoute(route, MessageType.NewRoute, NetlinkFlags.Create | NetlinkFlags.Replace, "replace");

    /// <summary>
    /// Adds a route (or, with <paramref name="replace"/>, adds or replaces it) and returns it as the kernel made it,
    /// read from the kernel's echo of the change (NLM_F_ECHO) instead of a dump: the output link's name is the one
    /// given, or asked for by index. Equivalent to: `ip -echo route add|replace DEST [via GW] [dev NAME] [metric N]`.
    /// </summary>
    public NetNsRoute CreateRoute(RouteSpec route, bool replace = false)
    {
        var echoed = WriteRoute(route, MessageType.NewRoute,
            NetlinkFlags.Create | (replace ? NetlinkFlags.Replace : NetlinkFlags.Excl) | NetlinkFlags.Echo, replace ? "replace" : "add");
        var made = echoed.Count == 1 ? echoed[0]
            : throw NetlinkDecode.Error($"the kernel echoed {echoed.Count} routes for one route added");
        if (made.InterfaceIndex <= 0 || made.InterfaceAlias is not null)
            return made;
        string? name = null;
        try
        {
            name = GetLinkMessage(made.InterfaceIndex, null, made.InterfaceIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)).Name;
        }
        catch (NetNsException)
        {
            // the link went away right after: the route went with it; report the index only
        }
        return made.WithInterfaceAlias(name);
    }

    /// <summary>Deletes a route; RouteNotFound when none matches. Equivalent to: `ip route del DEST [via GW] [dev NAME] [metric N]`.</summary>
    public void DeleteRoute(RouteSpec route) => _ = WriteRoute(route, MessageType.DelRoute, NetlinkFlags.None, "delete");

    private List<NetNsRoute> WriteRoute(RouteSpec route, MessageType type, NetlinkFlags flags, string verb)
    {
        ArgumentNullException.ThrowIfNull(route);
        var dest = route.Destination.Network;
        var gw = route.RealGateway;
        if (gw is not null && (gw.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) != (dest.Family == IPAddressFamily.IPv4))
            throw NetNsException.Invalid(verb + " route", dest.ToString(), $"gateway {gw} and destination {dest} are of different address families");
        if (type == MessageType.NewRoute && gw is null && route.InterfaceName is null)
            throw NetNsException.Invalid(verb + " route", dest.ToString(), $"route {dest} needs a gateway or an interface");
        int oif = route.InterfaceName is null ? 0 : GetLinkIndex(route.InterfaceName);
        bool delete = type == MessageType.DelRoute;

        var req = new MessageWriter(type, flags);
        req.Struct(new RtMsg
        {
            Family = (byte)dest.Family,
            DstLen = (byte)dest.PrefixLength,
            Table = Rta.TableMain,
            // ip route del: protocol 0, scope RT_SCOPE_NOWHERE, type 0 match anything
            Protocol = delete ? (byte)0 : Rta.ProtoBoot,
            Scope = delete ? (byte)255 : (gw is null && dest.Family == IPAddressFamily.IPv4 ? Rta.ScopeLink : Rta.ScopeUniverse),
            Type = delete ? (byte)0 : Rta.TypeUnicast,
        });
        if (dest.PrefixLength > 0)
            req.Bytes(Rta.Dst, dest.Address.GetAddressBytes());
        if (gw is not null)
            req.Bytes(Rta.Gateway, gw.GetAddressBytes());
        if (oif > 0)
            req.U32(Rta.Oif, (uint)oif);
        if (route.Metric is uint metric)
            req.U32(Rta.Priority, metric);
        string target = dest.ToString() + (gw is null ? "" : " via " + gw);
        if ((flags & NetlinkFlags.Echo) == 0)
        {
            _socket.Execute(req, Context(verb, ObjectKind.Route, target));
            return [];
        }
        var names = new Dictionary<int, string>();
        if (oif > 0)
            names[oif] = route.InterfaceName!;
        return _socket.Query<NetNsRoute>(req, (in NetlinkHeader h, ReadOnlySpan<byte> p, out NetNsRoute r) => ParseRoute(h, p, names, out r),
            Context(verb, ObjectKind.Route, target));
    }

    private bool ParseRoute(in NetlinkHeader h, ReadOnlySpan<byte> payload, Dictionary<int, string> names, out NetNsRoute route)
    {
        route = null!;
        if (h.Type != MessageType.NewRoute)
            return false;
        var rtm = RtMsg.Read(payload);
        if (rtm.Family is not (2 or 10))
            return false;
        uint table = rtm.Table, priority = 0;
        int oif = 0;
        byte[]? dst = null, gateway = null, prefsrc = null;
        var attrs = new AttributeReader(payload[RtMsg.Size..]);
        while (attrs.Next(out ushort type, out var v))
        {
            switch (type)
            {
                case Rta.Dst: dst = v.ToArray(); break;
                case Rta.Gateway: gateway = v.ToArray(); break;
                case Rta.Oif: oif = AttributeReader.S32(v); break;
                case Rta.Priority: priority = AttributeReader.U32(v); break;
                case Rta.Table: table = AttributeReader.U32(v); break;
                case Rta.PrefSrc: prefsrc = v.ToArray(); break;
            }
        }
        if (table != Rta.TableMain || rtm.Type != Rta.TypeUnicast)
            return false;
        int len = rtm.Family == 2 ? 4 : 16;
        var any = rtm.Family == 2 ? IPAddress.Any : IPAddress.IPv6Any;
        IPAddress Addr(byte[]? b) => b is null ? any : b.Length == len ? new IPAddress(b)
            : throw NetlinkDecode.Error($"route address of {b.Length} bytes for family {rtm.Family}");
        route = new NetNsRoute
        {
            DestinationPrefix = $"{Addr(dst)}/{rtm.DstLen}",
            NextHop = Addr(gateway).ToString(),
            InterfaceIndex = oif,
            InterfaceAlias = oif > 0 ? names.GetValueOrDefault(oif) : null,
            RouteMetric = priority,
            AddressFamily = (IPAddressFamily)rtm.Family,
            Namespace = NamespaceName,
            Protocol = ProtocolName(rtm.Protocol),
            Scope = ScopeName(rtm.Scope),
            PreferredSource = prefsrc is null ? null : Addr(prefsrc).ToString(),
            Table = (int)table,
        };
        return true;
    }

    private static string ProtocolName(byte protocol) => protocol switch
    {
        1 => "redirect",
        2 => "kernel",
        3 => "boot",
        4 => "static",
        9 => "ra",
        16 => "dhcp",
        _ => protocol.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
