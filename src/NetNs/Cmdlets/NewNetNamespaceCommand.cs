using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Creates named network namespaces (`ip netns add`), or names an existing one: a process's
/// (`ip netns attach NAME PID`) or a namespace file's.
/// </summary>
[Cmdlet(VerbsCommon.New, "NetNamespace", SupportsShouldProcess = true, DefaultParameterSetName = NewSet)]
[OutputType(typeof(NetNamespace))]
public sealed class NewNetNamespaceCommand : NetNsCmdlet
{
    private const string NewSet = "New";
    private const string ProcessSet = "ProcessId";
    private const string PathSet = "Path";
    private const string NamespaceSet = "Namespace";

    /// <summary>Names of the namespaces to create (one name with -ProcessId or -Path).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Give this process's network namespace the name (like `ip netns attach NAME PID`).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ProcessSet)]
    [ValidateRange(1, int.MaxValue)]
    public int ProcessId { get; set; }

    /// <summary>Give the namespace pinned by this file (e.g. /run/docker/netns/ID) the name.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>
    /// Leave the new namespace's loopback down, as `ip netns add` does. By default it is brought up (the first step
    /// of every lab: without it a namespace cannot reach its own addresses).
    /// </summary>
    [Parameter(ParameterSetName = NewSet)]
    public SwitchParameter LoopbackDown { get; set; }

    /// <summary>
    /// Give an existing namespace the name: anything that carries one (a container, a namespace found by
    /// Get-NetNamespace, a path or a process id). Bound by property name, so `Get-NetNsContainer web | New-NetNamespace`
    /// names the container's namespace instead of making a new one (`ip netns attach`).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = NamespaceSet, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    // An attached namespace may have an id in the caller's namespace already (a container's often has): report it.
    // A new one cannot have one yet, so it is not asked for.
    private NetNamespace Describe(NetNamespace made) =>
        ParameterSetName == NewSet || made.Name is null ? made : NamespaceCatalog.Describe(made.Name);

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        if (ParameterSetName == NamespaceSet && Namespace is null or { Kind: NamespaceRefKind.Current })
        {
            WriteNetNsError(NetNsException.Invalid("attach namespace", string.Join(",", Name),
                "the piped object names no namespace (its Namespace is empty): nothing to attach"), Name);
            return;
        }
        if (ParameterSetName != NewSet && Name.Length != 1)
        {
            var e = NetNsException.Invalid("attach namespace", string.Join(",", Name), "give exactly one -Name with -ProcessId or -Path");
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, Name));
        }
        foreach (string name in Name)
        {
            string action = ParameterSetName switch
            {
                ProcessSet => $"Attach the network namespace of process {ProcessId}",
                PathSet => $"Attach the network namespace of '{Path}'",
                NamespaceSet => $"Attach the network namespace '{Namespace}'",
                _ => "Create network namespace",
            };
            if (!ShouldChange(name, action))
                continue;
            Try(name, () => WriteObject(Describe(ParameterSetName switch
            {
                ProcessSet => NamedNamespaces.Attach(name, ProcessId),
                PathSet => NamedNamespaces.AttachFile(name, Path),
                NamespaceSet => Namespace!.Kind switch
                {
                    NamespaceRefKind.ProcessId => NamedNamespaces.Attach(name, Namespace.ProcessId),
                    NamespaceRefKind.Name => NamedNamespaces.AttachFile(name, NamedNamespaces.PathOf(Namespace.Value!)),
                    _ => NamedNamespaces.AttachFile(name, Namespace.Value!),
                },
                _ => NetlinkHandleCache.CreateNamespace(name, loopbackUp: !LoopbackDown), // with its netlink handle cached for the next call
            })));
        }
    }
}
