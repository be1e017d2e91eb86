namespace NetNs.Core;

/// <summary>How a <see cref="NetNsCapture"/> captures: tcpdump's -s, -c, -w, -B and filter, plus a duration.</summary>
public sealed class CaptureOptions
{
    /// <summary>The largest snap length accepted (tcpdump's default and maximum, MAXIMUM_SNAPLEN).</summary>
    public const int MaxSnapLength = 262144;

    /// <summary>A filter in tcpdump's language (pcap-filter(7)), compiled by libpcap; null or empty for every packet.</summary>
    public string? Filter { get; init; }

    /// <summary>Bytes kept of each packet (tcpdump -s); the rest is cut by the kernel's filter.</summary>
    public int SnapLength { get; init; } = MaxSnapLength;

    /// <summary>A pcapng file to write every packet to (tcpdump -w, but pcapng); null for none.</summary>
    public string? Path { get; init; }

    /// <summary>Stop after this many packets (tcpdump -c); null for no limit.</summary>
    public long? Count { get; init; }

    /// <summary>Stop after this long; null for no limit.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The kernel's ring per socket in bytes (tcpdump -B, in bytes; at least two blocks of one packet each); packets the kernel cannot put there are counted as KernelDrops.</summary>
    public int BufferSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>How many packets are kept in memory for readers (Get-NetNsPacket -Capture); later ones are counted as BufferDrops.</summary>
    public int MaxRetainedPackets { get; init; } = 100_000;

    /// <summary>How many captured bytes are kept in memory for readers; later packets are counted as BufferDrops.</summary>
    public long MaxRetainedBytes { get; init; } = 64L * 1024 * 1024;

    internal void Validate()
    {
        if (SnapLength is <= 0 or > MaxSnapLength)
            throw NetNsException.Invalid("start capture", SnapLength.ToString(System.Globalization.CultureInfo.InvariantCulture), $"-SnapLength must be 1-{MaxSnapLength}");
        if (Count is <= 0)
            throw NetNsException.Invalid("start capture", Count.ToString()!, "-Count must be positive");
        if (Duration is { } d && d <= TimeSpan.Zero)
            throw NetNsException.Invalid("start capture", d.ToString(), "-Duration must be positive");
        if (BufferSize is < 0)
            throw NetNsException.Invalid("start capture", BufferSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "-BufferSize must not be negative");
    }
}
