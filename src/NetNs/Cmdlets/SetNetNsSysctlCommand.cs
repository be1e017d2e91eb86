using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Writes a net.* sysctl inside a namespace (`ip netns exec NS sysctl -w KEY=VALUE`).</summary>
[Cmdlet(VerbsCommon.Set, "NetNsSysctl", SupportsShouldProcess = true)]
[OutputType(typeof(NetNsSysctl))]
public sealed class SetNetNsSysctlCommand : NetNsCmdlet
{
    /// <summary>The key, e.g. net.ipv4.ip_forward.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ObjectNameTransformation("Namespace", "Key")]
    [ArgumentCompleter(typeof(SysctlKeyCompleter))]
    public string Key { get; set; } = "";

    /// <summary>The value to write.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateNotNull]
    public string Value { get; set; } = "";

    /// <summary>The namespace. Required, and never empty: NetNs changes the caller's own namespace's sysctls only when it is named (-Namespace $PID).</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef Namespace { get; set; } = NamespaceRef.Current;

    /// <summary>Write the value read back to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        if (!ShouldChange(Describe(Key, Namespace), $"Set to '{Value}'"))
            return;
        Try(Key, () =>
        {
            using var ns = Namespace.OpenUnlessCurrent();
            Sysctl.Set(ns, Key, Value);
            if (PassThru)
                WriteObject(Sysctl.GetEntry(ns, Key, NamespaceHandle.LabelOf(ns)));
        });
    }
}
