using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Creates a bridge, dummy, vlan or macvlan link (`ip link add NAME type KIND`).</summary>
[Cmdlet(VerbsCommon.New, "NetNsLink", SupportsShouldProcess = true)]
[OutputType(typeof(NetNsLink))]
public sealed class NewNetNsLinkCommand : NetNsCmdlet
{
    /// <summary>Name of the new link.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Bridge, Dummy, Vlan or Macvlan.</summary>
    [Parameter(Mandatory = true)]
    public LinkKind Kind { get; set; }

    /// <summary>Namespace to create it in; the caller's own when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>Parent link of a vlan or macvlan.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string? Parent { get; set; }

    /// <summary>VLAN id (1–4094) of a vlan.</summary>
    [Parameter]
    [ValidateRange(1, 4094)]
    public int VlanId { get; set; }

    /// <summary>MTU.</summary>
    [Parameter]
    [ValidateRange(68, 65535)]
    public int Mtu { get; set; }

    /// <summary>MAC address.</summary>
    [Parameter]
    public string? MacAddress { get; set; }

    /// <summary>Bring it up.</summary>
    [Parameter]
    public SwitchParameter Up { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        foreach (string name in Name)
        {
            if (!ShouldChange(Describe(name, Namespace), $"Create {Kind.ToString().ToLowerInvariant()} link"))
                continue;
            Try(name, () => WriteObject(Rtnl(Namespace).CreateLink(new LinkSpec
            {
                Name = name,
                Kind = Kind,
                Parent = Parent,
                VlanId = MyInvocation.BoundParameters.ContainsKey(nameof(VlanId)) ? VlanId : null,
                Mtu = MyInvocation.BoundParameters.ContainsKey(nameof(Mtu)) ? Mtu : null,
                MacAddress = MacAddress,
                Up = Up,
            })));
        }
    }
}
