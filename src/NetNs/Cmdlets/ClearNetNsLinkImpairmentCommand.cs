using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Takes every impairment off a link, a partition included: its root qdisc goes back to the kernel's default and
/// NetNs's nftables chains for it go (`tc qdisc del dev LINK root`).
/// </summary>
[Cmdlet(VerbsCommon.Clear, "NetNsLinkImpairment", SupportsShouldProcess = true)]
[OutputType(typeof(NetNsLinkImpairment))]
public sealed class ClearNetNsLinkImpairmentCommand : NetNsCmdlet
{
    /// <summary>The link's namespace; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>The link.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("InterfaceAlias")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    [ObjectNameTransformation("Namespace", "Name", "InterfaceAlias")]
    public string Name { get; set; } = "";

    /// <summary>Write the link's (now empty) impairment to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        if (!ShouldChange(Describe(Name, Namespace), "Clear link impairment"))
            return;
        Try(Name, () =>
        {
            var rtnl = Rtnl(Namespace);
            LinkShaper.Clear(rtnl, Name);
            if (PassThru)
                WriteObject(LinkShaper.Get(rtnl, Name));
        });
    }
}
