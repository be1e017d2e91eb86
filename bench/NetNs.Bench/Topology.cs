using System.Buffers.Binary;
using System.Net;

namespace NetNs.Bench;

/// <summary>
/// The standard topology's names and addresses for one build: N namespaces TAG0..TAG(N-1), each with a veth
/// whose end "eth0" is in it and whose other end "v&lt;i&gt;" is a port of bridge "br0" in namespace TAGbr.
/// Addresses come from 198.18.0.0/15 only (RFC 2544 benchmarking range): the bridge has 198.18.0.1/15,
/// namespace i has 198.18.0.0 + (i + 2), and every namespace routes by default via 198.18.0.1.
/// </summary>
internal sealed class Topology
{
    /// <summary>Hosts available in 198.18.0.0/15 after .0 (network), .1 (bridge) and the broadcast address.</summary>
    public const int MaxNamespaces = (1 << 17) - 3;

    public const string BridgeName = "br0";
    public const string PeerName = "eth0";
    public const int PrefixLength = 15;
    public const string BridgeAddress = "198.18.0.1";
    private const uint Base = 0xC6120000; // 198.18.0.0

    public Topology(string tag, int n)
    {
        if (n < 1 || n > MaxNamespaces)
            throw new ArgumentOutOfRangeException(nameof(n), $"N must be 1..{MaxNamespaces}");
        Tag = tag;
        N = n;
    }

    /// <summary>Prefix of every namespace of this build (run prefix + variant + repeat), e.g. "nb1a2b3c-a1-".</summary>
    public string Tag { get; }

    public int N { get; }

    public string BridgeNamespace => Tag + "br";

    public string Namespace(int i) => Tag + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The bridge-side veth end of namespace i: unique inside the bridge namespace, at most 15 bytes.</summary>
    public static string Port(int i) => "v" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Address(int i)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, Base + (uint)i + 2);
        return new IPAddress(b).ToString();
    }

    public static string AddressWithPrefix(int i) => $"{Address(i)}/{PrefixLength}";

    public static string BridgeAddressWithPrefix => $"{BridgeAddress}/{PrefixLength}";

    /// <summary>Every namespace name, bridge first.</summary>
    public IEnumerable<string> AllNamespaces()
    {
        yield return BridgeNamespace;
        for (int i = 0; i < N; i++)
            yield return Namespace(i);
    }
}
