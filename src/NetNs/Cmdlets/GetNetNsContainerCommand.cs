using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Lists containers (Docker, containerd, Kubernetes CRI, podman, CRI-O) with the network namespace each runs in; the
/// output pipes into any cmdlet's -Namespace (`Get-NetNsContainer web1 | Get-NetNsAddress`).
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetNsContainer")]
[OutputType(typeof(NetNsContainer))]
public sealed class GetNetNsContainerCommand : NetNsCmdlet
{
    private IReadOnlyList<NetNsContainer>? _list;

    /// <summary>Container names or ids (wildcards allowed; an id prefix of 12+ characters matches too).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only containers of these runtimes: docker, containerd, kubernetes, podman, cri-o.</summary>
    [Parameter]
    [ValidateSet("docker", "containerd", "kubernetes", "podman", "cri-o")]
    public string[]? Runtime { get; set; }

    /// <summary>Also list containers that are not running (they have no namespace).</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (_list is null)
        {
            var warnings = new RuntimeWarnings();
            _list = ContainerNamespaces.List(All, Runtime, warnings);
            foreach (string w in warnings.Messages)
                WriteWarning(w);
        }
        var list = _list;
        WriteMatching(list, Name, WildcardOptions.IgnoreCase,
            (c, w, pattern) => w.IsMatch(c.Name) || w.IsMatch(c.Id) || c.HasIdPrefix(pattern),
            name => new NetNsException(NetNsErrorReason.ContainerNotFound, "get container",
                $"no {(All ? "" : "running ")}container named '{name}'", name));
    }
}
