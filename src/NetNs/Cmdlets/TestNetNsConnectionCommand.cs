using System.Management.Automation;
using System.Net;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Tests reachability from inside namespaces, in-process (no ping binary): an ICMP/ICMPv6 echo, or a TCP connect
/// with -Port (`ip netns exec NS ping -c 1 ADDRESS`, `ip netns exec NS nc -z ADDRESS PORT`). Every namespace ×
/// target pair of the pipeline is probed at once, like Mininet's pingall, and written in input order.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "NetNsConnection")]
[OutputType(typeof(ConnectionTestResult), typeof(bool))]
public sealed class TestNetNsConnectionCommand : NetNsCmdlet
{
    private readonly List<(NetlinkHandle Rtnl, IPAddress Target)> _tests = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>The namespace to probe from (a name, a namespace file, a PID, or a NetNs object from the pipeline); the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>IPv4 or IPv6 addresses to probe (literals: names are not resolved inside the namespace).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("RemoteAddress", "IPAddress")]
    [ValidateNotNullOrEmpty]
    public string[] TargetAddress { get; set; } = [];

    /// <summary>Test a TCP connection to this port instead of an ICMP echo.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    [Alias("RemotePort")]
    public int? Port { get; set; }

    /// <summary>Echo requests per target (1–100); the test passes when any is answered.</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int Count { get; set; } = 1;

    /// <summary>How long to wait for each echo reply, or for the TCP handshake (1–60000 ms).</summary>
    [Parameter]
    [ValidateRange(1, 60000)]
    public int TimeoutMilliseconds { get; set; } = 1000;

    /// <summary>Write only whether each test passed, as a bool.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var targets = new List<IPAddress>();
        foreach (string text in TargetAddress)
        {
            if (IPAddress.TryParse(text, out var ip) && text.Trim() == text)
                targets.Add(ip);
            else
                WriteNetNsError(NetNsException.Invalid("test connection", text, $"'{text}' is not an IPv4 or IPv6 address"), text);
        }
        Try(Namespace?.ToString(), () =>
        {
            var rtnl = Rtnl(Namespace);
            foreach (var ip in targets)
                _tests.Add((rtnl, ip));
        });
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var options = new ConnectionProbeOptions
        {
            Port = Port,
            Count = Count,
            Timeout = TimeSpan.FromMilliseconds(TimeoutMilliseconds),
        };
        var running = _tests.Select(t => ConnectionProbe.TestAsync(t.Rtnl.Namespace, t.Rtnl.NamespaceName, t.Target, options, _stop.Token)).ToList();
        for (int i = 0; i < running.Count; i++)
        {
            var (rtnl, target) = _tests[i];
            Try(target.ToString(), () =>
            {
                ConnectionTestResult result;
                try
                {
                    result = running[i].GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    return; // StopProcessing
                }
                if (Quiet)
                    WriteObject(result.Success);
                else
                    WriteObject(ConnectionProbe.WithInterface(rtnl, result));
            });
        }
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stop.Cancel();
}
