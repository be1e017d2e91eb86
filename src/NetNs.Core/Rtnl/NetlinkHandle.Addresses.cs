using System.Net;
using NetNs.Core.Netlink;

namespace NetNs.Core;

/// <summary>Options for adding an address.</summary>
public sealed class AddressOptions
{
    /// <summary>Skip IPv6 duplicate address detection (IFA_F_NODAD), so the address is usable at once.</summary>
    public bool SkipDuplicateAddressDetection { get; init; }

    /// <summary>Do not add the prefix route for the address (IFA_F_NOPREFIXROUTE).</summary>
    public bool NoPrefixRoute { get; init; }
}

public sealed partial class NetlinkHandle
{
    /// <summary>
    /// Addresses in the namespace, optionally of one link and one family.
    /// Equivalent to: `ip addr show [dev NAME]` (`ip -4`/`ip -6` for the family).
    /// </summary>
    public IReadOnlyList<NetNsAddress> GetAddresses(string? linkName = null, IPAddressFamily? family = null)
    {
        if (linkName is not null)
            return GetAddresses(GetLinkIndex(linkName), linkName, family);
        var names = DumpLinks().ToDictionary(l => l.Index, l => l.Name);
        return QueryAddresses(0, names, family, null);
    }

    /// <summary>All addresses, with link names from a link dump the caller already has.</summary>
    internal IReadOnlyList<NetNsAddress> GetAddresses(Dictionary<int, string> names) => QueryAddresses(0, names, null, null);

    private IReadOnlyList<NetNsAddress> GetAddresses(int index, string linkName, IPAddressFamily? family) =>
        QueryAddresses(index, new Dictionary<int, string> { [index] = linkName }, family, linkName);

    private IReadOnlyList<NetNsAddress> QueryAddresses(int index, Dictionary<int, string> names, IPAddressFamily? family, string? linkName)
    {
        var req = new MessageWriter(MessageType.GetAddr, NetlinkFlags.Dump);
        req.Struct(new IfAddrMsg { Family = (byte)(family ?? 0), Index = index });
        var list = _socket.Query<NetNsAddress>(req, (in NetlinkHeader h, ReadOnlySpan<byte> p, out NetNsAddress a) => ParseAddress(h, p, names, out a),
            Context("list addresses", ObjectKind.Address, linkName));
        return list.Where(a => (index == 0 || a.InterfaceIndex == index) && (family is null || a.AddressFamily == family)).ToList();
    }

    /// <summary>
    /// Adds an address; AddressExists when it is already there. Equivalent to: `ip addr add ADDR/LEN dev NAME`.
    /// </summary>
    public NetNsAddress AddAddress(string linkName, IPPrefix address, AddressOptions? options = null) =>
        WriteAddress(linkName, address, options, NetlinkFlags.Create | NetlinkFlags.Excl, "add");

    /// <summary>
    /// Ensures an address is there (idempotent). Equivalent to: `ip addr replace ADDR/LEN dev NAME`.
    /// </summary>
    public NetNsAddress ReplaceAddress(string linkName, IPPrefix address, AddressOptions? options = null) =>
        WriteAddress(linkName, address, options, NetlinkFlags.Create | NetlinkFlags.Replace, "set");

    /// <summary>Removes an address; AddressNotFound when it is not there. Equivalent to: `ip addr del ADDR/LEN dev NAME`.</summary>
    public void DeleteAddress(string linkName, IPPrefix address)
    {
        int index = GetLinkIndex(linkName);
        var req = new MessageWriter(MessageType.DelAddr, NetlinkFlags.None);
        req.Struct(new IfAddrMsg { Family = (byte)address.Family, PrefixLen = (byte)address.PrefixLength, Index = index });
        req.Bytes(Ifa.Local, address.Address.GetAddressBytes());
        _socket.Execute(req, Context($"remove from '{linkName}' the", ObjectKind.Address, address.ToString()));
    }

    private NetNsAddress WriteAddress(string linkName, IPPrefix address, AddressOptions? options, NetlinkFlags flags, string verb) =>
        WriteAddress(GetLinkIndex(linkName), linkName, address, options, flags, verb, readBack: true)!;

    private NetNsAddress? WriteAddress(int index, string linkName, IPPrefix address, AddressOptions? options, NetlinkFlags flags, string verb, bool readBack)
    {
        uint ifaFlags = Ifa.FPermanent;
        if (options?.SkipDuplicateAddressDetection == true)
            ifaFlags |= Ifa.FNoDad;
        if (options?.NoPrefixRoute == true)
            ifaFlags |= Ifa.FNoPrefixRoute;
        var req = new MessageWriter(MessageType.NewAddr, flags);
        req.Struct(new IfAddrMsg
        {
            Family = (byte)address.Family,
            PrefixLen = (byte)address.PrefixLength,
            Flags = (byte)(ifaFlags & 0xff),
            Scope = IPAddress.IsLoopback(address.Address) ? Rta.ScopeHost : Rta.ScopeUniverse,
            Index = index,
        });
        byte[] bytes = address.Address.GetAddressBytes();
        req.Bytes(Ifa.Local, bytes);
        req.Bytes(Ifa.Address, bytes);
        req.U32(Ifa.Flags, ifaFlags);
        _socket.Execute(req, Context($"{verb} on '{linkName}' the", ObjectKind.Address, address.ToString()));
        if (!readBack)
            return null;
        string text = address.Address.ToString();
        return GetAddresses(index, linkName, address.Family).FirstOrDefault(a => a.IPAddress == text && a.PrefixLength == address.PrefixLength)
            ?? throw new NetNsException(NetNsErrorReason.OperationFailed, verb + " address",
                $"address {address} was accepted on '{linkName}' but is not listed afterwards", address.ToString());
    }

    private bool ParseAddress(in NetlinkHeader h, ReadOnlySpan<byte> payload, Dictionary<int, string> names, out NetNsAddress address)
    {
        address = null!;
        if (h.Type != MessageType.NewAddr)
            return false;
        var ifa = IfAddrMsg.Read(payload);
        if (ifa.Family is not (2 or 10))
            return false;
        byte[]? local = null, addr = null;
        uint flags = ifa.Flags;
        var attrs = new AttributeReader(payload[IfAddrMsg.Size..]);
        while (attrs.Next(out ushort type, out var v))
        {
            switch (type)
            {
                case Ifa.Local: local = v.ToArray(); break;
                case Ifa.Address: addr = v.ToArray(); break;
                case Ifa.Flags: flags = AttributeReader.U32(v); break;
            }
        }
        byte[]? bytes = local ?? addr;
        int expected = ifa.Family == 2 ? 4 : 16;
        if (bytes is null || bytes.Length != expected)
            throw NetlinkDecode.Error($"address attribute of {bytes?.Length ?? 0} bytes for family {ifa.Family}");
        address = new NetNsAddress
        {
            IPAddress = new IPAddress(bytes).ToString(),
            PrefixLength = ifa.PrefixLen,
            AddressFamily = (IPAddressFamily)ifa.Family,
            InterfaceIndex = ifa.Index,
            InterfaceAlias = names.GetValueOrDefault(ifa.Index) ?? ifa.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Namespace = NamespaceName,
            Scope = ScopeName(ifa.Scope),
            Flags = AddressFlagNames(flags),
        };
        return true;
    }

    internal static string ScopeName(byte scope) => scope switch
    {
        0 => "global",
        200 => "site",
        253 => "link",
        254 => "host",
        255 => "nowhere",
        _ => scope.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string[] AddressFlagNames(uint flags)
    {
        var names = new List<string>();
        if ((flags & Ifa.FSecondary) != 0) names.Add("secondary");
        if ((flags & Ifa.FNoDad) != 0) names.Add("nodad");
        if ((flags & Ifa.FDadFailed) != 0) names.Add("dadfailed");
        if ((flags & Ifa.FDeprecated) != 0) names.Add("deprecated");
        if ((flags & Ifa.FTentative) != 0) names.Add("tentative");
        if ((flags & Ifa.FPermanent) != 0) names.Add("permanent");
        if ((flags & Ifa.FNoPrefixRoute) != 0) names.Add("noprefixroute");
        return names.ToArray();
    }
}
