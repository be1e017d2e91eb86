using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Changes a link: up/down, MTU, name, MAC, or moves it to another namespace (`ip link set`).</summary>
[Cmdlet(VerbsCommon.Set, "NetNsLink", SupportsShouldProcess = true)]
[OutputType(typeof(NetNsLink))]
public sealed class SetNetNsLinkCommand : NetNsCmdlet
{
    /// <summary>The link to change.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("InterfaceAlias")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    [ObjectNameTransformation("Namespace", "Name")]
    public string Name { get; set; } = "";

    /// <summary>The link's namespace; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>Bring the link up.</summary>
    [Parameter]
    public SwitchParameter Up { get; set; }

    /// <summary>Bring the link down.</summary>
    [Parameter]
    public SwitchParameter Down { get; set; }

    /// <summary>New MTU.</summary>
    [Parameter]
    [ValidateRange(68, 65535)]
    public int Mtu { get; set; }

    /// <summary>New name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NewName { get; set; }

    /// <summary>New MAC address.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MacAddress { get; set; }

    /// <summary>Move the link to this namespace (done last; with -NewName it arrives under the new name).</summary>
    [Parameter]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? NewNamespace { get; set; }

    /// <summary>Write the changed link to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (Up && Down)
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(
                NetNsException.Invalid("set link", "", "-Up and -Down cannot be used together"), null));
    }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        if (!ShouldChange(Describe(Name, Namespace), "Set link " + Changes()))
            return;
        Try(Name, () =>
        {
            using var target = NewNamespace is null ? null
                : NewNamespace.Kind == NamespaceRefKind.Current ? NamespaceHandle.OpenCurrent() : NewNamespace.Open();
            var changes = new LinkChanges
            {
                Up = Up ? true : Down ? false : null,
                Mtu = MyInvocation.BoundParameters.ContainsKey(nameof(Mtu)) ? Mtu : null,
                NewName = NewName,
                MacAddress = MacAddress,
                Namespace = target,
            };
            if (PassThru)
                WriteObject(Rtnl(Namespace).SetLink(Name, changes));
            else
                Rtnl(Namespace).ApplyLinkChanges(Name, changes); // no read-back nobody asked for
        });
    }

    private string Changes()
    {
        var parts = new List<string>();
        if (Up) parts.Add("up");
        if (Down) parts.Add("down");
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Mtu))) parts.Add($"mtu {Mtu}");
        if (MacAddress is not null) parts.Add($"address {MacAddress}");
        if (NewName is not null) parts.Add($"name {NewName}");
        if (NewNamespace is not null) parts.Add($"netns {NewNamespace}");
        return string.Join(" ", parts);
    }
}
