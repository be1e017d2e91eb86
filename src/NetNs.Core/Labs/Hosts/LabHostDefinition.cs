using System.Net;

namespace NetNs.Core;

/// <summary>
/// A machine a lab spans (a key of the definition's Hosts): reached over PowerShell remoting (SSH) as
/// `New-PSSession -HostName HOSTNAME [-UserName U] [-KeyFilePath K] [-Port P] [-Options O]`. No password is taken:
/// key authentication only, host keys checked against known_hosts as ssh does.
/// </summary>
public sealed class LabHostDefinition
{
    /// <summary>The host's name in the definition (what nodes' Host keys name).</summary>
    public required string Name { get; init; }

    /// <summary>The address or DNS name ssh connects to.</summary>
    public required string HostName { get; init; }

    /// <summary>The user to log in as (default: ssh's).</summary>
    public string? UserName { get; init; }

    /// <summary>The private key file (default: ssh's).</summary>
    public string? KeyFilePath { get; init; }

    /// <summary>The SSH port (default 22).</summary>
    public int? Port { get; init; }

    /// <summary>
    /// The host's own address that VXLAN tunnels use (the underlay); by default <see cref="HostName"/> when that is an
    /// IP address.
    /// </summary>
    public IPAddress? Address { get; init; }

    /// <summary>ssh options (`-o KEY=VALUE`): UserKnownHostsFile, StrictHostKeyChecking, ProxyCommand…; sorted by key.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; init; } = [];

    /// <summary>The underlay address: <see cref="Address"/>, or <see cref="HostName"/> when it is an IP address; else null.</summary>
    public IPAddress? Underlay => Address ?? (IPPrefix.TryParseAddress(HostName, out var a) ? a : null);

    /// <summary>"a (root@198.18.250.2:22)": what messages name the host by (no key, no options).</summary>
    public override string ToString() => $"{Name} ({(UserName is null ? "" : UserName + "@")}{HostName}{(Port is int p ? ":" + p : "")})";
}

/// <summary>
/// A network's VXLAN port: a vxlan device on its bridge (in the network's namespace) whose UDP socket is in the
/// host's own namespace, with VNI <see cref="Id"/>, source <see cref="Local"/>, UDP port <see cref="Port"/>, and
/// every frame for an unknown MAC sent to each of <see cref="Remotes"/> (head-end replication).
/// </summary>
public sealed record LabVxlanDefinition(int Id, IPAddress Local, IReadOnlyList<IPAddress> Remotes, int Port)
{
    /// <summary>Bytes VXLAN adds over an IPv4 underlay (outer IPv4 20, UDP 8, VXLAN 8, inner Ethernet 14).</summary>
    public const int OverheadIPv4 = 50;

    /// <summary>Bytes VXLAN adds over an IPv6 underlay.</summary>
    public const int OverheadIPv6 = 70;

    /// <summary>IANA's VXLAN port.</summary>
    public const int DefaultPort = 4789;

    /// <summary>The device's name on the bridge: "vx" + the VNI (at most 10 bytes).</summary>
    public string DeviceName => "vx" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public bool Equals(LabVxlanDefinition? other) =>
        other is not null && Id == other.Id && Local.Equals(other.Local) && Port == other.Port && Remotes.SequenceEqual(other.Remotes);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Local, Port, Remotes.Count);
}
