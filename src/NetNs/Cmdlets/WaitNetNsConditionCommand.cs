using System.Management.Automation;
using System.Net;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Waits, bounded, until a condition holds inside a namespace — an address answering (ICMP echo) or accepting a TCP
/// connection on -Port, something listening on a port (-Listening), a link up (-LinkUp) — the readiness check a lab
/// script needs before its tests. Writes nothing when it holds (-PassThru: how the wait ended); a terminating
/// ConditionTimeout error when the timeout passes first, naming the condition and the last probe's status.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "NetNsCondition", DefaultParameterSetName = ReachableSet)]
[OutputType(typeof(NetNsConditionResult))]
public sealed class WaitNetNsConditionCommand : NetNsCmdlet
{
    private const string ReachableSet = "Reachable", ListeningSet = "Listening", LinkUpSet = "LinkUp";
    private readonly CancellationTokenSource _stop = new();

    /// <summary>The namespace to probe in (a name, a namespace file, a PID, or a NetNs object); the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>The address that must answer (an ICMP echo, or a TCP connection with -Port); a literal IPv4 or IPv6 address.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ReachableSet)]
    [Alias("RemoteAddress", "IPAddress", "TargetAddress")]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = "";

    /// <summary>With -Address: the TCP port that must accept a connection. With -Listening (required there): the port something must listen on. Not with -LinkUp.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    [Alias("RemotePort")]
    public int? Port { get; set; }

    /// <summary>Wait until a socket inside the namespace listens on -Port (TCP: LISTEN; UDP: bound), on any address.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ListeningSet)]
    public SwitchParameter Listening { get; set; }

    /// <summary>With -Listening: Tcp (the default) or Udp.</summary>
    [Parameter(ParameterSetName = ListeningSet)]
    public ListenProtocol Protocol { get; set; } = ListenProtocol.Tcp;

    /// <summary>Wait until this link is operationally up (a link not there yet is waited for too).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LinkUpSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string LinkUp { get; set; } = "";

    /// <summary>The longest wait (more than 0, at most 1 hour): '30s', '500ms', a number of milliseconds, or a TimeSpan; 10 seconds by default.</summary>
    [Parameter]
    [TimeValueTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time from one probe's start to the next (10 ms to 1 minute), written as -Timeout is; 200 ms by default.</summary>
    [Parameter]
    [TimeValueTransformation]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Write how the wait ended (the condition, the last probe's status and result, the time taken).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        if (ParameterSetName == ListeningSet && Port is null)
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(NetNsException.Invalid("wait for condition", "", "-Listening needs -Port: the port something must listen on"), null));
        if (ParameterSetName == LinkUpSet && Port is not null)
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(NetNsException.Invalid("wait for condition", LinkUp, "-Port does not go with -LinkUp"), Port));
        IPAddress? target = null;
        if (ParameterSetName == ReachableSet && !(IPAddress.TryParse(Address, out target) && Address.Trim() == Address))
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(NetNsException.Invalid("wait for condition", Address, $"'{Address}' is not an IPv4 or IPv6 address"), Address));
        var options = new ConditionWaitOptions { Timeout = Timeout, Interval = Interval };
        NetNsConditionResult? result = null;
        Try(Namespace?.ToString(), () =>
        {
            var rtnl = Rtnl(Namespace);
            try
            {
                result = ParameterSetName switch
                {
                    ListeningSet => ConditionWait.Listening(rtnl, Port!.Value, Protocol, options, _stop.Token),
                    LinkUpSet => ConditionWait.LinkUp(rtnl, LinkUp, options, _stop.Token),
                    _ => ConditionWait.Reachable(rtnl, target!, Port, options, _stop.Token),
                };
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C
            }
            catch (NetNsException e) when (e.Reason == NetNsErrorReason.InvalidArgument)
            {
                ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, e.Target));
            }
        });
        if (result is null)
            return;
        if (!result.Met)
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(ConditionWait.Timeout(result), result)); // the target: how the wait ended
        if (PassThru)
            WriteObject(result);
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stop.Cancel();
}
