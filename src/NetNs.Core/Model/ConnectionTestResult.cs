namespace NetNs.Core;

/// <summary>
/// One reachability test from a namespace to an address (ICMP echo, or a TCP connect to a port), named as
/// Windows' Test-NetConnection names its result where the meaning is the same.
/// </summary>
public sealed record ConnectionTestResult
{
    /// <summary>The namespace the probe was sent from; null for the caller's own.</summary>
    public string? Namespace { get; init; }

    /// <summary>The address probed.</summary>
    public string RemoteAddress { get; init; } = "";

    /// <summary>The TCP port connected to; null for an ICMP echo test.</summary>
    public int? RemotePort { get; init; }

    /// <summary>The address the namespace sent from (its route to the target), when it has one.</summary>
    public string? SourceAddress { get; init; }

    /// <summary>The link holding <see cref="SourceAddress"/>, when it could be told.</summary>
    public string? InterfaceAlias { get; init; }

    /// <summary>Whether an echo reply came back; null when no echo test was made (a TCP test).</summary>
    public bool? PingSucceeded { get; init; }

    /// <summary>Whether the TCP connection was accepted; null when no TCP test was made.</summary>
    public bool? TcpTestSucceeded { get; init; }

    /// <summary>Whether the test that was asked for passed.</summary>
    public bool Success { get; init; }

    /// <summary>
    /// Success, TimedOut, ConnectionRefused, NetworkUnreachable, HostUnreachable, or another socket error's name;
    /// Inconclusive when no answer came while the host's neighbour table was full (the probe cannot tell a lost answer
    /// from no answer), LoopbackDown when the probe failed because the source namespace's loopback is down.
    /// </summary>
    public string Status { get; init; } = "";

    /// <summary>Why the probe failed, when more can be said than <see cref="Status"/> (Inconclusive, LoopbackDown); else null.</summary>
    public string? Detail { get; init; }

    /// <summary>Mean round trip of the echo replies, or the time the TCP handshake took; null when it failed.</summary>
    public TimeSpan? RoundTripTime { get; init; }

    /// <summary>Echo requests sent (1 for a TCP test).</summary>
    public int PacketsSent { get; init; }

    /// <summary>Echo replies received (1 for an accepted TCP connection).</summary>
    public int PacketsReceived { get; init; }

    /// <summary>"NAMESPACE -> ADDRESS[:PORT] STATUS".</summary>
    public override string ToString() =>
        $"{Namespace ?? "(current)"} -> {RemoteAddress}{(RemotePort is { } p ? ":" + p : "")} {Status}";
}
