namespace NetNs.Core;

/// <summary>How a wait for a condition ended (Wait-NetNsCondition -PassThru): what was awaited and the last probe.</summary>
public sealed class NetNsConditionResult
{
    /// <summary>The namespace the condition was probed in; null for the caller's own.</summary>
    public string? Namespace { get; init; }

    /// <summary>What was awaited, in words: "198.18.0.2:80 (tcp) accepts a connection", "link eth0 is up".</summary>
    public string Condition { get; init; } = "";

    /// <summary>Whether the condition came true.</summary>
    public bool Met { get; init; }

    /// <summary>The last probe's status: Success, ConnectionRefused, TimedOut, NotListening, Down, LinkNotFound, ….</summary>
    public string Status { get; init; } = "";

    /// <summary>How long the wait took.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>How many probes were made.</summary>
    public int Probes { get; init; }

    /// <summary>
    /// The last probe's own result: a ConnectionTestResult (reachability), the NetNsLink (link up), or the listening
    /// endpoints (IPEndPoint[]) found on the port.
    /// </summary>
    public object? LastResult { get; init; }

    /// <summary>"CONDITION: STATUS".</summary>
    public override string ToString() => $"{Condition}: {Status}";
}
