using System.Net;

namespace NetNs.Core.Tests;

/// <summary>Input checks that run before anything is touched (no root needed).</summary>
public class ValidationTests
{
    [Theory]
    [InlineData("eth0")]
    [InlineData("a")]
    [InlineData("abcdefghijklmno")]   // 15 bytes: IFNAMSIZ - 1
    [InlineData("éééééééa")]          // 7 × 2 + 1 = 15 bytes
    [InlineData("veth-r.100")]
    [InlineData("...")]
    public void ValidInterfaceNames(string name) => Assert.Null(Names.InterfaceNameError(name));

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("abcdefghijklmnop", "16 bytes")]
    [InlineData("éééééééé", "16 bytes")] // 8 characters, 16 bytes
    [InlineData("a/b", "'/'")]
    [InlineData("a\0b", "'\\x00'")]
    [InlineData("a b", "' '")]
    [InlineData("a\tb", "contains")]
    [InlineData("eth0:1", "':'")]
    [InlineData(".", "not allowed")]
    [InlineData("..", "not allowed")]
    [InlineData("-x", "starts with '-'")]
    public void InvalidInterfaceNamesSayWhy(string? name, string why)
    {
        string? error = Names.InterfaceNameError(name);
        Assert.NotNull(error);
        Assert.Contains(why, error);
        var e = Assert.Throws<NetNsException>(() => Names.CheckInterfaceName(name, "create link"));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Equal("create link", e.Operation);
        Assert.Equal(error, e.Message);
    }

    [Theory]
    [InlineData("red")]
    [InlineData("with space")]
    [InlineData("a:b")]
    [InlineData("...")]
    [InlineData("ünïcödé")]
    public void ValidNamespaceNames(string name) => Assert.Null(Names.NamespaceNameError(name));

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "not allowed")]
    [InlineData("..", "not allowed")]
    [InlineData("a/b", "'/'")]
    [InlineData("../etc", "'/'")]
    [InlineData("a\0b", "\\x00")]
    [InlineData("a\nb", "\\x0a")]
    [InlineData("-all", "starts with '-'")]
    [InlineData("--help", "starts with '-'")]
    public void InvalidNamespaceNamesSayWhy(string name, string why)
    {
        string? error = Names.NamespaceNameError(name);
        Assert.NotNull(error);
        Assert.Contains(why, error);
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => Names.CheckNamespaceName(name)).Reason);
    }

    [Fact]
    public void NamespaceNameLengthCountsUtf8Bytes()
    {
        Assert.Null(Names.NamespaceNameError(new string('a', 255)));
        Assert.Contains("256 bytes", Names.NamespaceNameError(new string('a', 256)));
        Assert.Null(Names.NamespaceNameError(new string('é', 127)));          // 254 bytes
        Assert.Contains("256 bytes", Names.NamespaceNameError(new string('é', 128)));
    }

    [Theory]
    [InlineData("198.18.0.1/24", "198.18.0.1", 24, IPAddressFamily.IPv4)]
    [InlineData("198.18.0.1", "198.18.0.1", 32, IPAddressFamily.IPv4)]
    [InlineData("  198.18.0.0/15 ", "198.18.0.0", 15, IPAddressFamily.IPv4)]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0, IPAddressFamily.IPv4)]
    [InlineData("2001:db8::1/64", "2001:db8::1", 64, IPAddressFamily.IPv6)]
    [InlineData("2001:DB8::1", "2001:db8::1", 128, IPAddressFamily.IPv6)]
    [InlineData("2001:db8::/32", "2001:db8::", 32, IPAddressFamily.IPv6)]
    [InlineData("::ffff:198.18.0.1/128", "::ffff:198.18.0.1", 128, IPAddressFamily.IPv6)]
    public void ValidPrefixesKeepHostBits(string text, string address, int len, IPAddressFamily family)
    {
        var p = IPPrefix.Parse(text);
        Assert.Equal(IPAddress.Parse(address), p.Address);
        Assert.Equal(len, p.PrefixLength);
        Assert.Equal(family, p.Family);
        Assert.True(IPPrefix.TryParse(text, out var q, out string? error));
        Assert.Null(error);
        Assert.Equal(p, q);
    }

    [Theory]
    [InlineData("198.18.1.77/24", "198.18.1.0/24")]
    [InlineData("198.19.255.255/15", "198.18.0.0/15")]
    [InlineData("198.18.1.77/32", "198.18.1.77/32")]
    [InlineData("198.18.1.77/0", "0.0.0.0/0")]
    [InlineData("2001:db8:1:2:3:4:5:6/64", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:ffff::1/33", "2001:db8:8000::/33")]
    public void NetworkClearsHostBits(string text, string network)
    {
        var p = IPPrefix.Parse(text);
        Assert.Equal(network, p.Network.ToString());
        Assert.Equal(text, p.ToString()); // the original keeps them
    }

    [Fact]
    public void DefaultIsTheZeroPrefixOfTheRequestedFamily()
    {
        Assert.Equal("0.0.0.0/0", IPPrefix.Parse("default").ToString());
        Assert.Equal("::/0", IPPrefix.Parse("DEFAULT", IPAddressFamily.IPv6).ToString());
        Assert.True(IPPrefix.Parse("default").IsDefault);
        Assert.False(IPPrefix.Parse("198.18.0.0/15").IsDefault);
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("198.18.0.1/33")]
    [InlineData("2001:db8::1/129")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("198.18.0.1/")]
    [InlineData("/24")]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%2/64")]
    [InlineData("198.18.0.1/-1")]
    [InlineData("198.18.0.1/+8")]
    [InlineData("198.18.0.1/2 4")]
    [InlineData("198.18.0.1/24/1")]
    [InlineData("198.18.0.1/0x10")]
    [InlineData("198.18.0.1/99999999999")]
    [InlineData("3232235777")]        // IPAddress.Parse accepts a bare number; ip does not
    public void BadPrefixesAreInvalidArgument(string text)
    {
        Assert.False(IPPrefix.TryParse(text, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
        var e = Assert.Throws<NetNsException>(() => IPPrefix.Parse(text));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Equal(error, e.Message);
    }

    [Fact]
    public void ConstructorChecksLengthAgainstFamily()
    {
        Assert.Equal(NetNsErrorReason.InvalidArgument,
            Assert.Throws<NetNsException>(() => new IPPrefix(IPAddress.Parse("198.18.0.1"), 33)).Reason);
        Assert.Equal(NetNsErrorReason.InvalidArgument,
            Assert.Throws<NetNsException>(() => new IPPrefix(IPAddress.Parse("2001:db8::1"), -1)).Reason);
        Assert.Equal(128, new IPPrefix(IPAddress.Parse("2001:db8::1"), 128).MaxLength);
    }

    [Theory]
    [InlineData("02:00:5e:10:00:01", new byte[] { 2, 0, 0x5e, 0x10, 0, 1 })]
    [InlineData("02-00-5E-10-00-0A", new byte[] { 2, 0, 0x5e, 0x10, 0, 10 })]
    [InlineData("2:0:5e:10:0:1", new byte[] { 2, 0, 0x5e, 0x10, 0, 1 })]
    [InlineData("fe:ff:ff:ff:ff:ff", new byte[] { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff })]
    public void MacParses(string text, byte[] bytes)
    {
        Assert.Equal(bytes, Mac.Parse(text));
        Assert.Equal(bytes, Mac.Parse(Mac.Format(bytes)));
    }

    [Fact]
    public void MacFormatsLowerCaseColonHex() =>
        Assert.Equal("02:0a:5e:10:00:ff", Mac.Format(new byte[] { 2, 10, 0x5e, 0x10, 0, 255 }));

    [Theory]
    [InlineData("", "not a MAC")]
    [InlineData("02:00:5e:10:00", "not a MAC")]
    [InlineData("02:00:5e:10:00:01:02", "not a MAC")]
    [InlineData("02:00:5e:10:00:zz", "not a MAC")]
    [InlineData("02:00:5e:10:00:001", "not a MAC")]
    [InlineData("02:00:5e:10::01", "not a MAC")]
    [InlineData("0200.5e10.0001", "not a MAC")]
    [InlineData("02:00:5e:10:00:+1", "not a MAC")]
    [InlineData("02: 1:02:03:04:05", "not a MAC")]
    [InlineData("02:01:02:03:04:5 ", "not a MAC")]
    [InlineData("01:00:5e:00:00:01", "multicast")]
    [InlineData("ff:ff:ff:ff:ff:ff", "multicast")]
    [InlineData("00:00:00:00:00:00", "all-zero")]
    [InlineData("0-0-0-0-0-0", "all-zero")]
    public void BadMacsAreInvalidArgument(string text, string why)
    {
        var e = Assert.Throws<NetNsException>(() => Mac.Parse(text));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Contains(why, e.Message);
    }

    [Theory]
    [InlineData("net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward")]
    [InlineData("net/ipv4/ip_forward", "/proc/sys/net/ipv4/ip_forward")]
    [InlineData("net.ipv6.conf.all.disable_ipv6", "/proc/sys/net/ipv6/conf/all/disable_ipv6")]
    [InlineData("net/ipv4/conf/eth0.100/forwarding", "/proc/sys/net/ipv4/conf/eth0.100/forwarding")]
    [InlineData("net.ipv4.conf.veth-a.rp_filter", "/proc/sys/net/ipv4/conf/veth-a/rp_filter")]
    public void SysctlKeysMapToProcSys(string key, string path) => Assert.Equal(path, Sysctl.PathOf(key));

    [Theory]
    [InlineData("")]
    [InlineData("net")]
    [InlineData("kernel.hostname")]
    [InlineData("vm/swappiness")]
    [InlineData("net..ipv4")]
    [InlineData("net.ipv4.")]
    [InlineData("net/ipv4/../../kernel/hostname")]
    [InlineData("net/./ipv4")]
    [InlineData("net.ipv4.ip forward")]
    [InlineData("net.ipv4.ip_forward\n")]
    [InlineData("net.ipv4.ip*")]
    [InlineData("/net/ipv4/ip_forward")]
    public void BadSysctlKeysAreInvalidArgument(string key) =>
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => Sysctl.PathOf(key)).Reason);

    [Theory]
    [InlineData("198.18.1.2")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("2001:db8::1")]
    [InlineData("::")]
    public void StrictAddressesParse(string text)
    {
        Assert.True(IPPrefix.TryParseAddress(text, out var ip));
        Assert.Equal(System.Net.IPAddress.Parse(text), ip);
    }

    // Each of these is read by inet_aton or IPAddress.Parse as some other address: 198.18.258 -> 198.18.1.2,
    // 3 -> 0.0.0.3, 0x7f.1 -> 127.0.0.1, 010.0.0.1 -> 8.0.0.1.
    [Theory]
    [InlineData("198.18.258")]
    [InlineData("3")]
    [InlineData("0x7f.1")]
    [InlineData("010.0.0.1")]
    [InlineData("198.18.0.256")]
    [InlineData("198.18. 0.1")]
    [InlineData("198.18.0.1 ")]
    [InlineData("fe80::1%eth0")]
    [InlineData("")]
    [InlineData("1.2.3.4.5")]
    public void LooseAddressesAreRefused(string text) => Assert.False(IPPrefix.TryParseAddress(text, out _));

    [Fact]
    public void ARoutePrefixWithHostBitsIsRefusedNamingTheNetwork()
    {
        var e = Assert.Throws<NetNsException>(() => RouteSpec.FromText("198.18.70.1/24", "198.18.0.2"));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Contains("198.18.70.0/24", e.Message);
        Assert.Equal("198.18.70.0/24", RouteSpec.FromText("198.18.70.0/24", "198.18.0.2").Destination.ToString());
        Assert.Equal("198.18.70.1/32", RouteSpec.FromText("198.18.70.1").Destination.ToString());
    }

    [Theory]
    [InlineData("default", "2001:db8::1", "::/0")]
    [InlineData("default", "198.18.0.1", "0.0.0.0/0")]
    [InlineData("default", null, "0.0.0.0/0")]
    public void DefaultTakesTheNextHopsFamily(string destination, string? nextHop, string expected) =>
        Assert.Equal(expected, RouteSpec.FromText(destination, nextHop).Destination.ToString());

    [Theory]
    [InlineData("198.19.0.0/24", "198.18.258")]
    [InlineData("198.19.0.0/24", "3")]
    [InlineData("198.19.0.0/24", "2001:db8::1")]
    [InlineData("2001:db8:1::/64", "198.18.0.1")]
    public void BadNextHopsAreInvalidArgument(string destination, string nextHop) =>
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => RouteSpec.FromText(destination, nextHop)).Reason);

    [Theory]
    [InlineData("198.18.0.1/24", null, "198.18.0.1/24")]
    [InlineData("198.18.0.1", 24, "198.18.0.1/24")]
    [InlineData("198.18.0.1/24", 24, "198.18.0.1/24")]
    [InlineData("2001:db8::1", 64, "2001:db8::1/64")]
    public void AddressInputTakesTheLengthFromTheTextOrTheParameter(string text, int? length, string expected) =>
        Assert.Equal(expected, AddressInput.Prefix(text, length).ToString());

    [Theory]
    [InlineData("198.18.0.1", null, "no prefix length")]
    [InlineData("198.18.0.1/24", 16, "disagree")]
    [InlineData("198.18.258/24", null, "not an IPv4 or IPv6 address")]
    public void AddressInputSaysWhatIsWrong(string text, int? length, string why)
    {
        var e = Assert.Throws<NetNsException>(() => AddressInput.Prefix(text, length));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void DefaultStandsForBothDefaultRoutesInListings()
    {
        Assert.Equal(["0.0.0.0/0", "::/0"], RouteSpec.DestinationTexts("Default"));
        Assert.Equal(["198.18.*"], RouteSpec.DestinationTexts("198.18.*"));
    }

    [Fact]
    public void NotFoundNamesWhatAndWhere()
    {
        var link = NetNsException.NotFound(ObjectKind.Link, "veth9", "red");
        Assert.Equal(NetNsErrorReason.LinkNotFound, link.Reason);
        Assert.Equal("link 'veth9' not found in namespace 'red'", link.Message);
        Assert.Equal(NetNsErrorReason.NamespaceNotFound, NetNsException.NotFound(ObjectKind.Namespace, "blue").Reason);
        Assert.Null(NamespaceRef.Current.OpenUnlessCurrent());
    }

    [Fact]
    public void AContainerMatchesAnIdPrefixOfTwelveCharactersOrMore()
    {
        var c = new NetNsContainer { Id = "0123456789abcdef0123", Name = "web1", State = "running" };
        Assert.True(c.IsRunning);
        Assert.True(c.HasIdPrefix("0123456789AB"));
        Assert.False(c.HasIdPrefix("0123456789a")); // too short to mean one container
        Assert.False(c.HasIdPrefix("0123456789abX"));
        Assert.False(new NetNsContainer { State = "exited" }.IsRunning);
    }

    [Theory]
    [InlineData("198.18.10.0/24", "198.18.10.255", true)]
    [InlineData("198.18.10.7/24", "198.18.10.1", true)] // host bits in the prefix do not matter
    [InlineData("198.18.10.0/24", "198.18.11.0", false)]
    [InlineData("198.18.10.0/24", "2001:db8::1", false)]
    [InlineData("2001:db8:10::/64", "2001:db8:10::ffff", true)]
    public void APrefixContainsTheAddressesOfItsNetwork(string prefix, string address, bool contains) =>
        Assert.Equal(contains, IPPrefix.Parse(prefix).Contains(IPAddress.Parse(address)));

    [Theory]
    [InlineData("198.18.10.0/24", 1, "198.18.10.1")]
    [InlineData("198.18.10.9/24", 255, "198.18.10.255")]
    [InlineData("198.18.0.0/15", 256, "198.18.1.0")]
    [InlineData("2001:db8:10::/64", 256, "2001:db8:10::100")]
    public void AddressAtAndOffsetOfAreInverses(string prefix, int offset, string address)
    {
        var p = IPPrefix.Parse(prefix);
        Assert.Equal(IPAddress.Parse(address), p.AddressAt(offset));
        Assert.Equal(offset, (int)p.OffsetOf(IPAddress.Parse(address)));
    }
}

/// <summary>Names NetNs makes avoid what would later collide with wildcard expansion or hide in a table.</summary>
public class NewNameTests
{
    [Theory]
    [InlineData("web*")]
    [InlineData("a?b")]
    [InlineData("x[1]")]
    [InlineData(" lead")]
    [InlineData("trail ")]
    [InlineData("a:b")]
    public void ANewNamespaceNameWithAWildcardEdgeSpaceOrColonIsRefused(string name)
    {
        var e = Assert.Throws<NetNsException>(() => Names.CheckNewNamespaceName(name, "create namespace"));
        Assert.Equal(NetNsErrorReason.InvalidArgument, e.Reason);
        Assert.Null(Names.NamespaceNameError(name)); // still readable when another tool made it
    }

    [Theory]
    [InlineData("eth*")]
    [InlineData("v?")]
    [InlineData("br[0]")]
    public void ANewInterfaceNameWithAWildcardIsRefused(string name) =>
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => Names.CheckNewInterfaceName(name, "create link")).Reason);

    [RootFact]
    public void NothingIsMadeForARefusedNamespaceName()
    {
        string name = Lab.UniqueName() + "*";
        Assert.Throws<NetNsException>(() => NamedNamespaces.Create(name));
        Assert.False(File.Exists("/run/netns/" + name));
    }
}
