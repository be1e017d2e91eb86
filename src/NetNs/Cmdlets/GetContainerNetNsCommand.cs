using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Lists every network namespace in use on the host, one object each, with the containers (Docker, containerd,
/// Kubernetes, podman, CRI-O), pod, processes and interfaces in it. The objects pipe into every cmdlet's -Namespace
/// (`Get-ContainerNetNs web | Get-NetNsAddress`) and into `New-NetNamespace -Name web` (`ip netns attach`).
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerNetNs")]
[OutputType(typeof(ContainerNetNs))]
public sealed class GetContainerNetNsCommand : NetNsCmdlet
{
    private DiscoveryResult? _found;

    /// <summary>Container names or ids, pod names or /run/netns names (wildcards allowed; a 12+ character id prefix matches too).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only namespaces with containers of these runtimes.</summary>
    [Parameter]
    [ValidateSet("docker", "containerd", "kubernetes", "podman", "cri-o")]
    public string[]? Runtime { get; set; }

    /// <summary>Only the namespaces these processes are in (`ip netns identify PID`, for any namespace).</summary>
    [Parameter]
    [Alias("Pid")]
    [ValidateRange(1, int.MaxValue)]
    public int[]? ProcessId { get; set; }

    /// <summary>Only the namespaces of these pods (name or namespace/name; wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    public string[]? Pod { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (_found is null)
        {
            _found = ContainerNetNsDiscovery.Discover(cancel: StopToken);
            foreach (string w in _found.Warnings)
                WriteWarning(w);
        }
        IEnumerable<ContainerNetNs> list = _found.Namespaces;
        if (Runtime is { Length: > 0 })
            list = list.Where(n => n.Runtime.Any(r => Runtime.Contains(r, StringComparer.OrdinalIgnoreCase)));
        if (Pod is { Length: > 0 })
        {
            List<WildcardPattern> pods;
            try
            {
                pods = [.. Pod.Select(p => Wildcards.Compile(p, WildcardOptions.IgnoreCase))];
            }
            catch (NetNsException e)
            {
                WriteNetNsError(e, Pod);
                return;
            }
            list = list.Where(n => n.PodName is { } pn && pods.Any(w => w.IsMatch(pn) || w.IsMatch($"{n.PodNamespace}/{pn}")));
        }
        if (ProcessId is { Length: > 0 })
        {
            var materialized = list.ToList();
            foreach (int pid in ProcessId.Where(pid => !materialized.Any(n => n.Processes.Any(p => p.ProcessId == pid))))
                WriteNetNsError(new NetNsException(NetNsErrorReason.NamespaceNotFound, "get container namespace",
                    $"no network namespace found for process {pid} (no such process, a kernel thread, or its namespace cannot be read)",
                    pid.ToString(System.Globalization.CultureInfo.InvariantCulture)), pid);
            list = materialized.Where(n => n.Processes.Any(p => ProcessId.Contains(p.ProcessId)));
        }
        WriteMatching(list.ToList(), Name, WildcardOptions.IgnoreCase,
            (n, w, pattern) => n.MatchNames().Any(w.IsMatch) || n.Containers.Any(c => c.HasIdPrefix(pattern)),
            name => new NetNsException(NetNsErrorReason.ContainerNotFound, "get container namespace",
                $"no running container, pod or named namespace '{name}'", name));
    }
}
