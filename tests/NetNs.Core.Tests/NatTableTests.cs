using System.Net;

namespace NetNs.Core.Tests;

/// <summary>NAT and forwarding rules in NetNs's own nftables table, inside a test namespace (libnftables in-process).</summary>
public class NatTableTests
{
    [RootFact]
    public void RulesAreAddedListedAndRemovedExactlyAndTheTableGoesWithTheLast()
    {
        using var lab = new Lab();
        string name = lab.Namespace();
        string rootBefore = Lab.Run("nft", "list", "ruleset").Out;
        using var nat = NatTable.Open(NamespaceRef.FromName(name));

        var masq = nat.AddMasquerade(IPPrefix.Parse("198.18.10.7/24"), "wan0");
        Assert.Equal(NatRuleKind.Masquerade, masq.Kind);
        Assert.Equal("198.18.10.0/24", masq.SourcePrefix.ToString()); // host bits cleared
        Assert.Equal("wan0", masq.OutputInterface);
        Assert.Equal(name, masq.Namespace);
        Assert.True(masq.Handle > 0);
        var fwd = nat.AddForwardAccept("lab0", null);
        var dnat = nat.AddPortForward("TCP", 8080, IPAddress.Parse("198.18.10.50"), 80, inputInterface: "wan0");
        var dnat6 = nat.AddPortForward("udp", 53, IPAddress.Parse("2001:db8::5"), destination: IPAddress.Parse("2001:db8::1"));

        var listed = nat.List();
        Assert.Equal(new[] { masq.Handle, dnat.Handle, dnat6.Handle, fwd.Handle }.Order(), listed.Select(r => r.Handle).Order());
        var d = listed.Single(r => r.Handle == dnat.Handle);
        Assert.Equal(("tcp", 8080, "198.18.10.50", 80, "wan0"), (d.Protocol, d.Port!.Value, d.ToAddress!.ToString(), d.ToPort!.Value, d.InputInterface));
        var d6 = listed.Single(r => r.Handle == dnat6.Handle);
        Assert.Equal(("udp", 53, "2001:db8::5", (int?)null, "2001:db8::1"), (d6.Protocol, d6.Port!.Value, d6.ToAddress!.ToString(), d6.ToPort, d6.DestinationAddress!.ToString()));
        Assert.Equal("lab0", listed.Single(r => r.Kind == NatRuleKind.ForwardAccept).InputInterface);

        // what nft itself sees inside the namespace
        string text = Lab.Run("ip", "netns", "exec", name, "nft", "list", "table", "inet", "netns").Out;
        Assert.Contains("ip saddr 198.18.10.0/24 oifname \"wan0\" masquerade", text);
        Assert.Contains("dnat ip to 198.18.10.50:80", text);

        nat.Remove(dnat.Handle);
        Assert.DoesNotContain(nat.List(), r => r.Handle == dnat.Handle);
        Assert.Equal(NetNsErrorReason.RuleNotFound, Assert.Throws<NetNsException>(() => nat.Remove(dnat.Handle)).Reason);
        foreach (var r in nat.List())
            nat.Remove(r.Handle);
        Assert.Empty(nat.List());
        Assert.Equal("", Lab.Run("ip", "netns", "exec", name, "nft", "list", "ruleset").Out.Trim()); // no table left
        Assert.Equal(rootBefore, Lab.Run("nft", "list", "ruleset").Out); // the root's ruleset untouched
    }

    [RootFact]
    public void RulesOfANetworkAreRemovedTogetherAndOthersStay()
    {
        using var lab = new Lab();
        string name = lab.Namespace();
        using var nat = NatTable.Open(NamespaceRef.FromName(name));
        var own = nat.AddMasquerade(null, "wan0");
        nat.AddMasquerade(IPPrefix.Parse("198.18.10.0/24"), "wan0", network: "lab");
        nat.AddForwardAccept("lab", null, network: "lab");
        Assert.Equal(2, nat.List().Count(r => r.Network == "lab"));
        Assert.Equal(2, nat.RemoveNetworkRules("lab"));
        Assert.Equal([own.Handle], nat.List().Select(r => r.Handle));
    }

    [RootFact]
    public void ARuleAddedByHandToNetNsTableKeepsTheTableAndRulesOfOtherTablesAreNeverListed()
    {
        using var lab = new Lab();
        string name = lab.Namespace();
        using var nat = NatTable.Open(NamespaceRef.FromName(name));
        var own = nat.AddForwardAccept(null, "lan0");
        Assert.Equal(0, Lab.Run("ip", "netns", "exec", name, "nft", "add", "rule", "inet", "netns", "forward", "counter").Code);
        Assert.Equal(0, Lab.Run("ip", "netns", "exec", name, "nft", "add", "table", "ip", "other").Code);
        Assert.Equal(0, Lab.Run("ip", "netns", "exec", name, "nft", "add", "chain", "ip", "other", "c").Code);
        Assert.Equal(0, Lab.Run("ip", "netns", "exec", name, "nft", "add", "rule", "ip", "other", "c", "accept").Code);
        Assert.Equal([own.Handle], nat.List().Select(r => r.Handle)); // the counter rule is no NAT rule; table other is not ours
        nat.Remove(own.Handle);
        string left = Lab.Run("ip", "netns", "exec", name, "nft", "list", "ruleset").Out;
        Assert.Contains("table inet netns", left); // not dropped: it still holds the rule added by hand
        Assert.Contains("counter", left);
        Assert.Contains("table ip other", left);
    }

    [Theory]
    [InlineData("wan0\" accept; flush ruleset; #")]
    [InlineData("-wan")]
    [InlineData("a-name-that-is-too-long")]
    public void InterfaceNamesAreCheckedBeforeAnythingRuns(string bad)
    {
        using var nat = new NatTable(null);
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => nat.AddMasquerade(null, bad)).Reason);
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => nat.AddForwardAccept(bad, null)).Reason);
    }

    [Theory]
    [InlineData("icmp", 80)]
    [InlineData("tcp", 0)]
    [InlineData("udp", 65536)]
    public void PortForwardsNeedTcpOrUdpAndAPortInRange(string protocol, int port)
    {
        using var nat = new NatTable(null);
        Assert.Equal(NetNsErrorReason.InvalidArgument,
            Assert.Throws<NetNsException>(() => nat.AddPortForward(protocol, port, IPAddress.Parse("198.18.0.1"))).Reason);
    }

    [Fact]
    public void CommandsAreJsonSoInputIsNeverNftSyntax()
    {
        string json = NftJson.AddRule(new NftJson.RuleSpec(NatRuleKind.PortForward, InputInterface: "wan0",
            Protocol: "tcp", Port: 8080, ToAddress: IPAddress.Parse("198.18.10.50"), ToPort: 80, Network: "lab"));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var items = doc.RootElement.GetProperty("nftables").EnumerateArray().ToList();
        Assert.Equal(5, items.Count); // table, three chains, the rule
        var rule = items[4].GetProperty("add").GetProperty("rule");
        Assert.Equal("prerouting", rule.GetProperty("chain").GetString());
        Assert.Equal("netns:port-forward network=lab", rule.GetProperty("comment").GetString());
        Assert.Equal("""{"family":"ip","addr":"198.18.10.50","port":80}""", rule.GetProperty("expr")[2].GetProperty("dnat").GetRawText());
    }

    [Fact]
    public void AMissingLibraryIsOneErrorNamingThePackage()
    {
        var e = Assert.Throws<NetNsException>(() => NftSession.EnsureLibrary("libnftables-not-here.so.9"));
        Assert.Equal(NetNsErrorReason.NftablesNotInstalled, e.Reason);
        Assert.Contains("libnftables1", e.Message);
        Assert.Contains("libnftables-not-here.so.9", e.Message);
    }

    [Fact]
    public void TheInstalledLibraryLoads() => NftSession.EnsureLibrary(); // build.ps1 installs nftables, which brings libnftables1
}
