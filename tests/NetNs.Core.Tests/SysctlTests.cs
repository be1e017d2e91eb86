namespace NetNs.Core.Tests;

/// <summary>Sysctls as objects, and wildcard keys expanded inside the namespace.</summary>
public class SysctlTests
{
    [RootFact]
    public void FindExpandsWildcardsInsideTheNamespaceOnlyAndNamesKeysAsSysctlDoes()
    {
        using var lab = new Lab();
        string name = lab.Namespace();
        using var ns = NamespaceHandle.OpenName(name);
        using (var h = NetlinkHandle.Open(ns))
            h.CreateVeth(new VethSpec { Name = "eth0.7", PeerName = "p1" }); // a dot inside a name

        var found = Sysctl.Find(ns, "net.ipv4.conf.*.forwarding", name);
        Assert.Equal(["net.ipv4.conf.all.forwarding", "net.ipv4.conf.default.forwarding", "net.ipv4.conf.eth0/7.forwarding",
            "net.ipv4.conf.lo.forwarding", "net.ipv4.conf.p1.forwarding"], found.Select(s => s.Key));
        Assert.All(found, s => Assert.Equal(name, s.Namespace));
        Assert.All(found, s => Assert.Equal("0", s.Value));

        // the same wildcard in the caller's namespace sees none of these links
        Assert.DoesNotContain(Sysctl.Find(null, "net.ipv4.conf.*.forwarding"), s => s.Key.Contains("eth0/7"));
        Assert.Empty(Sysctl.Find(ns, "net.ipv4.conf.nomatch*.forwarding"));
        Assert.Equal("1500", Sysctl.GetEntry(ns, "net/ipv6/conf/eth0.7/mtu").Value);
        Assert.Equal("net.ipv6.conf.eth0/7.mtu", Sysctl.GetEntry(ns, "net/ipv6/conf/eth0.7/mtu").Key);
    }

    [Theory]
    [InlineData("kernel.*")]
    [InlineData("net.ipv4.conf.*/../..")]
    [InlineData("net..*")]
    public void BadPatternsAreInvalidArgument(string pattern) =>
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => Sysctl.Find(null, pattern)).Reason);
}
