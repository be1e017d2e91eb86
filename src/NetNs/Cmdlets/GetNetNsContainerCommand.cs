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
        IEnumerable<NetNsContainer> list;
        try
        {
            list = ContainerNamespaces.List();
        }
        catch (UnauthorizedAccessException e)
        {
            var err = new NetNsException(NetNsErrorReason.PermissionDenied, "list containers",
                "cannot read the container runtimes' state: run as root", null, 13, inner: e);
            WriteNetNsError(err, null);
            return;
        }
        if (!All)
            list = list.Where(c => c.State == "running");
        if (Runtime is { Length: > 0 })
            list = list.Where(c => Runtime.Contains(c.Runtime, StringComparer.OrdinalIgnoreCase));
        WriteMatching(list.ToList(), Name, WildcardOptions.IgnoreCase,
            (c, w, pattern) => w.IsMatch(c.Name) || w.IsMatch(c.Id)
                || (pattern.Length >= 12 && c.Id.StartsWith(pattern, StringComparison.OrdinalIgnoreCase)),
            name => new NetNsException(NetNsErrorReason.ContainerNotFound, "get container",
                $"no {(All ? "" : "running ")}container named '{name}'", name));
    }
}
