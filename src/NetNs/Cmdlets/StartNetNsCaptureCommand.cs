using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Starts capturing packets in one or more namespaces (`ip netns exec NS tcpdump -i IF -w FILE FILTER`, in-process):
/// an AF_PACKET socket per interface made inside each namespace, a kernel-side BPF filter compiled from tcpdump's
/// language by libpcap, optionally a pcapng file. Writes the running NetNsCapture; read it with Get-NetNsPacket, end it
/// with Stop-NetNsCapture (or -Count / -Duration).
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "NetNsCapture", SupportsShouldProcess = true)]
[OutputType(typeof(NetNsCapture))]
public sealed class StartNetNsCaptureCommand : NetNsCmdlet
{
    private readonly List<NamespaceRef> _namespaces = [];

    /// <summary>The namespaces to capture in (names, namespace files, PIDs or NetNs objects); all of them go into one capture.</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation(Many = true)]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef[] Namespace { get; set; } = [];

    /// <summary>
    /// The interfaces to capture on; every interface of each namespace when omitted. A plain name is taken in each
    /// namespace that has it; "ns:if" names one namespace's interface.
    /// </summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string[]? InterfaceAlias { get; set; }

    /// <summary>A filter in tcpdump's language (pcap-filter(7)), e.g. 'tcp port 80' or 'icmp or arp'; needs libpcap0.8.</summary>
    [Parameter]
    public string? Filter { get; set; }

    /// <summary>A pcapng file to write every packet to (opens in Wireshark, tshark -r, tcpdump -r).</summary>
    [Parameter]
    public string? Path { get; set; }

    /// <summary>Bytes kept of each packet (tcpdump -s); 262144 by default.</summary>
    [Parameter]
    [ValidateRange(1, CaptureOptions.MaxSnapLength)]
    public int SnapLength { get; set; } = CaptureOptions.MaxSnapLength;

    /// <summary>Stop after this many packets (tcpdump -c).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    /// <summary>Stop after this long.</summary>
    [Parameter]
    public TimeSpan Duration { get; set; }

    /// <summary>The kernel's ring per socket, in bytes (tcpdump -B, but bytes); 4 MiB by default. What does not fit is counted as drops.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int BufferSize { get; set; } = 4 * 1024 * 1024;

    /// <inheritdoc/>
    protected override void ProcessItem() => _namespaces.AddRange(Namespace);

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var namespaces = _namespaces.Distinct().ToList();
        if (namespaces.Count == 0)
            return;
        string where = string.Join(", ", namespaces.Select(n => n.ToString()))
            + (InterfaceAlias is { Length: > 0 } ? " (" + string.Join(", ", InterfaceAlias) + ")" : " (every interface)");
        if (!ShouldChange(where, "Start packet capture" + (string.IsNullOrWhiteSpace(Filter) ? "" : $" of '{Filter}'")))
            return;
        var options = new CaptureOptions
        {
            Filter = Filter,
            Path = Path is null ? null : GetUnresolvedProviderPathFromPSPath(Path),
            SnapLength = SnapLength,
            Count = MyInvocation.BoundParameters.ContainsKey(nameof(Count)) ? Count : null,
            Duration = MyInvocation.BoundParameters.ContainsKey(nameof(Duration)) ? Duration : null,
            BufferSize = BufferSize,
        };
        Try(where, () => WriteObject(NetNsCapture.Start(namespaces, InterfaceAlias, options)));
    }
}
