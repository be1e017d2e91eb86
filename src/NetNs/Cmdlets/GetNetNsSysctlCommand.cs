using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Reads net.* sysctls inside a namespace (`ip netns exec NS sysctl -n KEY`).</summary>
[Cmdlet(VerbsCommon.Get, "NetNsSysctl")]
[OutputType(typeof(string))]
public sealed class GetNetNsSysctlCommand : NetNsCmdlet
{
    /// <summary>Keys such as net.ipv4.ip_forward.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Key { get; set; } = [];

    /// <summary>The namespace; the caller's own when omitted.</summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (string key in Key)
        {
            Try(key, () =>
            {
                using var ns = Namespace is null || Namespace.Kind == NamespaceRefKind.Current ? null : Namespace.Open();
                WriteObject(Sysctl.Get(ns, key));
            });
        }
    }
}
