using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Reads net.* sysctls inside a namespace (`ip netns exec NS sysctl KEY`), as objects; wildcards in -Key.</summary>
[Cmdlet(VerbsCommon.Get, "NetNsSysctl")]
[OutputType(typeof(NetNsSysctl))]
public sealed class GetNetNsSysctlCommand : NetNsCmdlet
{
    /// <summary>Keys such as net.ipv4.ip_forward; * and ? match within a part (net.ipv4.conf.*.forwarding).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SysctlKeyCompleter))]
    public string[] Key { get; set; } = [];

    /// <summary>The namespace; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
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
                using var ns = Namespace?.OpenUnlessCurrent();
                string? name = NamespaceHandle.LabelOf(ns);
                if (Sysctl.HasWildcards(key))
                    WriteObject(Sysctl.Find(ns, key, name), enumerateCollection: true);
                else
                    WriteObject(Sysctl.Lookup(ns, key, name), enumerateCollection: true); // a branch (net.ipv4): every key beneath
            });
        }
    }
}
