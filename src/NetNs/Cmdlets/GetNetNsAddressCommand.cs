using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Lists the IP addresses in a namespace (`ip addr show`).</summary>
[Cmdlet(VerbsCommon.Get, "NetNsAddress")]
[OutputType(typeof(NetNsAddress))]
public sealed class GetNetNsAddressCommand : NetNsCmdlet
{
    /// <summary>Only addresses on these links (wildcards allowed).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    public string[]? InterfaceAlias { get; set; }

    /// <summary>The namespace (a name, a namespace file, a PID, or a NetNs object from the pipeline); the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>Only IPv4 or only IPv6.</summary>
    [Parameter]
    public IPAddressFamily? AddressFamily { get; set; }

    /// <summary>Only these addresses (wildcards allowed, e.g. 198.18.*).</summary>
    [Parameter]
    [SupportsWildcards]
    public string[]? IPAddress { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Try(Namespace?.ToString(), () =>
    {
        IEnumerable<NetNsAddress> list = Rtnl(Namespace).GetAddresses(null, AddressFamily);
        if (InterfaceAlias is { Length: > 0 })
        {
            var link = Wildcards.AnyOf(InterfaceAlias, WildcardOptions.None);
            list = list.Where(a => link(a.InterfaceAlias));
        }
        if (IPAddress is { Length: > 0 })
        {
            var ip = Wildcards.AnyOf(IPAddress, WildcardOptions.IgnoreCase);
            list = list.Where(a => ip(a.IPAddress) || ip(a.ToString()));
        }
        WriteObject(list, enumerateCollection: true);
    });
}
