namespace NetNs.Core;

/// <summary>
/// What a deploy killed mid-way leaves that the next deploy takes over instead of failing on EEXIST: links the lab
/// made but had not tagged yet. A link can carry its tag (IFLA_IFALIAS) only once it exists (the kernel ignores an
/// alias in the creating RTM_NEWLINK), so there is a moment when it is there untagged. Only a link that is provably
/// the one the plan makes is taken over: in the lab's own (tagged) namespace, under the plan's name, of the plan's
/// kind, with no label of anyone else's; a veth's two ends, besides, each other's peer.
/// </summary>
internal static class LabAdoption
{
    /// <summary>Whether <paramref name="name"/> in the lab namespace of <paramref name="rtnl"/> is a bridge with no label.</summary>
    public static bool IsUntaggedBridge(NetlinkHandle rtnl, string name)
    {
        try
        {
            var l = rtnl.GetLinkMessage(name);
            return l.Kind == "bridge" && string.IsNullOrEmpty(l.Alias);
        }
        catch (NetNsException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="name"/> (in <paramref name="a"/>'s namespace) and <paramref name="peerName"/> (in
    /// <paramref name="b"/>'s) are the two ends of one veth, each with no label or with <paramref name="tag"/>: the
    /// pair a killed deploy made. Each end's IFLA_LINK is the other's index. Equivalent to: `ip -n A -d link show NAME`
    /// and `ip -n B -d link show PEER`, compared.
    /// </summary>
    public static bool IsHalfMadeVeth(NetlinkHandle a, string name, NetlinkHandle b, string peerName, string tag)
    {
        try
        {
            var x = a.GetLinkMessage(name);
            var y = b.GetLinkMessage(peerName);
            static bool Ours(string? alias, string tag) => string.IsNullOrEmpty(alias) || alias == tag;
            return x.Kind == "veth" && y.Kind == "veth" && x.Link == y.Index && y.Link == x.Index
                && Ours(x.Alias, tag) && Ours(y.Alias, tag);
        }
        catch (NetNsException)
        {
            return false;
        }
    }
}
