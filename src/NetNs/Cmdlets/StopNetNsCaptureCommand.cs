using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Stops packet captures (what the kernel has queued is still taken, the pcapng file is completed) and writes each one's
/// summary: packets, bytes, and drops — the kernel's and NetNs's own, never hidden.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "NetNsCapture", SupportsShouldProcess = true, DefaultParameterSetName = CaptureSet)]
[OutputType(typeof(NetNsCaptureSummary))]
public sealed class StopNetNsCaptureCommand : NetNsCmdlet
{
    /// <summary>Parameter set of -Capture.</summary>
    public const string CaptureSet = "Capture";
    /// <summary>Parameter set of -Id.</summary>
    public const string IdSet = "Id";
    /// <summary>Parameter set of -All.</summary>
    public const string AllSet = "All";

    /// <summary>The captures to stop (from Start-NetNsCapture).</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ParameterSetName = CaptureSet)]
    public NetNsCapture[] Capture { get; set; } = [];

    /// <summary>The ids of running captures to stop.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    public int[] Id { get; set; } = [];

    /// <summary>Stop every capture running in this process.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        switch (ParameterSetName)
        {
            case CaptureSet:
                foreach (var capture in Capture)
                    StopOne(capture);
                break;
            case IdSet:
                foreach (int id in Id)
                    Try(id, () => StopOne(CaptureRegistry.Get(id)));
                break;
            default:
                foreach (var capture in CaptureRegistry.List())
                    StopOne(capture);
                break;
        }
    }

    private void StopOne(NetNsCapture capture)
    {
        if (!ShouldChange(capture.ToString(), "Stop packet capture"))
            return;
        capture.Stop();
        WriteObject(capture.Summary());
    }
}
