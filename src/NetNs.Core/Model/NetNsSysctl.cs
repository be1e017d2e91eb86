namespace NetNs.Core;

/// <summary>A net.* sysctl of a namespace with its value, as `sysctl KEY` prints it.</summary>
public sealed class NetNsSysctl
{
    /// <summary>The namespace; null for the caller's own.</summary>
    public string? Namespace { get; init; }

    /// <summary>The key with dots ("net.ipv4.conf.eth0.forwarding"); a dot inside a name is written '/', as sysctl(8) does.</summary>
    public string Key { get; init; } = "";

    /// <summary>The value as the kernel prints it (tabs between the numbers of multi-value keys).</summary>
    public string Value { get; init; } = "";

    /// <summary>The value, so "$(Get-NetNsSysctl …)" reads as the value.</summary>
    public override string ToString() => Value;
}
