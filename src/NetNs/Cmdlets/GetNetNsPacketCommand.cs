using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Writes captured packets as objects (time, namespace, interface, direction, protocol, addresses, ports, length and a
/// tcpdump-like summary): from a capture (streaming while it runs, until it stops, -Count or -Timeout) or from a pcapng
/// or pcap file (`tcpdump -r`). -Source, -Destination, -Protocol, -SourcePort and -DestinationPort select packets.
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetNsPacket", DefaultParameterSetName = CaptureSet)]
[OutputType(typeof(NetNsPacket))]
public sealed class GetNetNsPacketCommand : NetNsCmdlet
{
    /// <summary>Parameter set of -Capture.</summary>
    public const string CaptureSet = "Capture";
    /// <summary>Parameter set of -Path.</summary>
    public const string PathSet = "Path";

    private readonly CancellationTokenSource _stop = new();
    private PacketMatch? _match;
    private int _written;

    /// <summary>A capture from Start-NetNsCapture (running or stopped).</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ParameterSetName = CaptureSet)]
    public NetNsCapture? Capture { get; set; }

    /// <summary>pcapng or pcap files to read.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    public string[] Path { get; set; } = [];

    /// <summary>Only packets from these addresses or prefixes (198.18.1.1, 198.18.1.0/24, 2001:db8::/32).</summary>
    [Parameter]
    public string[]? Source { get; set; }

    /// <summary>Only packets to these addresses or prefixes.</summary>
    [Parameter]
    public string[]? Destination { get; set; }

    /// <summary>Only these protocols: Tcp, Udp, Icmp, Icmpv6, Arp, Ip, Other.</summary>
    [Parameter]
    public NetNsPacketProtocol[]? Protocol { get; set; }

    /// <summary>Only TCP or UDP packets from these ports.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int[]? SourcePort { get; set; }

    /// <summary>Only TCP or UDP packets to these ports.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int[]? DestinationPort { get; set; }

    /// <summary>Only packets going this way (In or Out of their interface).</summary>
    [Parameter]
    public PacketDirection? Direction { get; set; }

    /// <summary>Stop after this many (matching) packets.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    /// <summary>With a running capture: stop waiting for packets after this long (by default: until the capture stops).</summary>
    [Parameter(ParameterSetName = CaptureSet)]
    public TimeSpan? Timeout { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            _match = new PacketMatch(Source, Destination, Protocol, SourcePort, DestinationPort, Direction);
        }
        catch (NetNsException e)
        {
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, null));
        }
    }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        if (ParameterSetName == CaptureSet)
        {
            if (Capture is { } capture)
                Try(capture, () => Write(capture.ReadPackets(Timeout, _stop.Token)));
            return;
        }
        foreach (string path in Path)
        {
            string full = GetUnresolvedProviderPathFromPSPath(path);
            if (!File.Exists(full))
            {
                WriteNetNsError(NetNsException.Invalid("read capture file", path, $"'{full}' does not exist"), path);
                continue;
            }
            Try(path, () => Write(NetNsCapture.ReadFile(full)));
        }
    }

    private void Write(IEnumerable<NetNsPacket> packets)
    {
        foreach (var packet in packets)
        {
            if (_stop.IsCancellationRequested || (Count > 0 && _written >= Count))
                return;
            if (!_match!.Matches(packet))
                continue;
            WriteObject(packet);
            _written++;
        }
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc/>
    protected override void OnDispose() => _stop.Cancel();
}
