using System.Text.Json;

namespace NetNs.Core.Tests;

/// <summary>
/// Namespace ids (RTM_GETNSID/NEWNSID), always set from inside a test namespace so the root namespace's id
/// table is never touched.
/// </summary>
public class NsIdTests
{
    private static Dictionary<string, int> IpListId(string ns)
    {
        var result = new Dictionary<string, int>();
        foreach (var e in Ip.Json(ns, "netns", "list-id"))
        {
            if (e.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                result[name.GetString()!] = e.GetProperty("nsid").GetInt32();
        }
        return result;
    }

    [RootFact]
    public void SetIdIsSeenByIpAndCannotChange()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        using var aNs = NamespaceHandle.OpenName(a);
        using var bNs = NamespaceHandle.OpenName(b);
        using var fromA = NetlinkHandle.Open(aNs);
        Assert.Null(fromA.GetNsId(bNs));
        Assert.Null(fromA.GetNsId(bNs)); // asking does not assign one

        fromA.SetNsId(bNs, 5);
        Assert.Equal(5, fromA.GetNsId(bNs));
        Assert.Equal(5, IpListId(a)[b]);

        var e = Assert.Throws<NetNsException>(() => fromA.SetNsId(bNs, 6));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Contains("cannot change", e.Message);
        Assert.Equal(5, fromA.GetNsId(bNs));
        Assert.Equal(5, IpListId(a)[b]);
    }

    [RootFact]
    public void IdSetByIpIsSeen()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace(), c = lab.Namespace();
        Ip.Must("-n", a, "netns", "set", b, "42");
        using var aNs = NamespaceHandle.OpenName(a);
        using var bNs = NamespaceHandle.OpenName(b);
        using var cNs = NamespaceHandle.OpenName(c);
        using var fromA = NetlinkHandle.Open(aNs);
        Assert.Equal(42, fromA.GetNsId(bNs));
        // an id taken by another namespace cannot be reused
        var e = Assert.Throws<NetNsException>(() => fromA.SetNsId(cNs, 42));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Null(fromA.GetNsId(cNs));
    }

    [RootFact]
    public void NegativeIdIsRefusedBeforeTheKernel()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        using var aNs = NamespaceHandle.OpenName(a);
        using var bNs = NamespaceHandle.OpenName(b);
        using var fromA = NetlinkHandle.Open(aNs);
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => fromA.SetNsId(bNs, -1)).Reason);
        Assert.Null(fromA.GetNsId(bNs));
    }

    [RootFact]
    public void VethPeerInAnotherNamespaceGetsAnIdThatNamesIt()
    {
        using var lab = new Lab();
        string a = lab.Namespace(), b = lab.Namespace();
        using var aNs = NamespaceHandle.OpenName(a);
        using var bNs = NamespaceHandle.OpenName(b);
        using var fromA = NetlinkHandle.Open(aNs);
        fromA.CreateVeth(new VethSpec { Name = "va", PeerName = "vb", PeerNamespace = bNs });
        int? id = fromA.GetNsId(bNs);
        Assert.NotNull(id); // the kernel assigns one for IFLA_LINK_NETNSID
        Assert.Equal(id, fromA.GetLink("va").PeerNamespaceId);
        Assert.Equal(id, IpListId(a)[b]);
    }
}
