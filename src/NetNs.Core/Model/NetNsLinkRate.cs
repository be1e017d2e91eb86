namespace NetNs.Core;

/// <summary>
/// What went through a link over a measured interval (two IFLA_STATS64 samples): rates per second and the counts
/// behind them. Bytes are what the link counted, link-layer headers included (what `ip -s link` shows).
/// </summary>
public sealed class NetNsLinkRate
{
    /// <summary>The namespace the link is in, as the user named it; null for the caller's own.</summary>
    public string? Namespace { get; init; }

    /// <summary>The link's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The name again, under NetTCPIP's name.</summary>
    public string InterfaceAlias => Name;

    /// <summary>The link's ifindex.</summary>
    public int InterfaceIndex { get; init; }

    /// <summary>The interval between the two samples, as a monotonic clock measured it.</summary>
    public TimeSpan Interval { get; init; }

    /// <summary>Bits received per second.</summary>
    public double RxBitsPerSecond { get; init; }

    /// <summary>Bits sent per second.</summary>
    public double TxBitsPerSecond { get; init; }

    /// <summary>Packets received per second.</summary>
    public double RxPacketsPerSecond { get; init; }

    /// <summary>Packets sent per second.</summary>
    public double TxPacketsPerSecond { get; init; }

    /// <summary>Bytes received during the interval.</summary>
    public ulong RxBytes { get; init; }

    /// <summary>Bytes sent during the interval.</summary>
    public ulong TxBytes { get; init; }

    /// <summary>Packets received during the interval.</summary>
    public ulong RxPackets { get; init; }

    /// <summary>Packets sent during the interval.</summary>
    public ulong TxPackets { get; init; }

    /// <summary>Packets dropped on receive during the interval.</summary>
    public ulong RxDropped { get; init; }

    /// <summary>Packets dropped on transmit during the interval.</summary>
    public ulong TxDropped { get; init; }

    /// <summary>Receive errors during the interval.</summary>
    public ulong RxErrors { get; init; }

    /// <summary>Transmit errors during the interval.</summary>
    public ulong TxErrors { get; init; }

    /// <summary>A rate as people write it: "9.52 Mbit/s", "812 bit/s".</summary>
    public static string FormatBits(double bitsPerSecond) => bitsPerSecond switch
    {
        >= 1e9 => (bitsPerSecond / 1e9).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " Gbit/s",
        >= 1e6 => (bitsPerSecond / 1e6).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " Mbit/s",
        >= 1e3 => (bitsPerSecond / 1e3).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " kbit/s",
        _ => bitsPerSecond.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " bit/s",
    };

    /// <summary>"NAME rx RATE tx RATE".</summary>
    public override string ToString() => $"{Name} rx {FormatBits(RxBitsPerSecond)} tx {FormatBits(TxBitsPerSecond)}";
}
