using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Lists containers (Docker, containerd, Kubernetes CRI) with the network namespace each runs in; the
/// output pipes into any cmdlet's -Namespace (`Get-NetNsContainer web1 | Get-NetNsAddress`).
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetNsContainer")]
[OutputType(typeof(NetNsContainer))]
public sealed class GetNetNsContainerCommand : NetNsCmdlet
{
    /// <summary>Container names or ids (wildcards allowed; an id prefix of 12+ characters matches too).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <summary>Only containers of these runtimes: docker, containerd, kubernetes.</summary>
    [Parameter]
    [ValidateSet("docker", "containerd", "kubernetes")]
    public string[]? Runtime { get; set; }

    /// <summary>Also list containers that are not running (they have no namespace).</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        IReadOnlyList<NetNsContainer> list;
        try
        {
            list = ContainerNamespaces.List(All, Runtime);
        }
        catch (NetNsException e)
        {
            WriteNetNsError(e, null);
            return;
        }
        WriteMatching(list, Name, WildcardOptions.IgnoreCase,
            (c, w, pattern) => w.IsMatch(c.Name) || w.IsMatch(c.Id) || c.HasIdPrefix(pattern),
            name => new NetNsException(NetNsErrorReason.ContainerNotFound, "get container",
                $"no {(All ? "" : "running ")}container named '{name}'", name));
    }
}
