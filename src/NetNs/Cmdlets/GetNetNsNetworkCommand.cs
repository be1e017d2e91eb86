using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Lists the lab networks of a namespace, read back from its bridges' labels, with their members.</summary>
[Cmdlet(VerbsCommon.Get, "NetNsNetwork")]
[OutputType(typeof(NetNsNetwork))]
public sealed class GetNetNsNetworkCommand : NetNsCmdlet
{
    /// <summary>The namespace holding the networks; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>Network names; wildcards allowed. All when omitted.</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Try(Namespace?.ToString(), () =>
    {
        using var networks = NetworkManager.Open(Namespace ?? NamespaceRef.Current);
        WriteMatching(networks.List(), Name, WildcardOptions.None, (n, w, _) => w.IsMatch(n.Name),
            name => new NetNsException(NetNsErrorReason.NetworkNotFound, "get network",
                $"network '{name}' not found{(Namespace is null ? "" : $" in namespace '{Namespace}'")}", name));
    });
}
