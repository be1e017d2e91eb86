using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Lists networks read back from their bridges' tags, with their members: those of one namespace, or with no
/// -Namespace every network the caller sees (its own namespace's and each named namespace's), labs' networks included.
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetNsNetwork")]
[OutputType(typeof(NetNsNetwork))]
public sealed class GetNetNsNetworkCommand : NetNsCmdlet
{
    /// <summary>The namespace holding the networks; every namespace the caller sees when omitted.</summary>
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
        IReadOnlyList<NetNsNetwork> all;
        if (Namespace is null)
            all = NetworkManager.ListAll();
        else
        {
            using var networks = NetworksOf(Namespace);
            all = networks.List();
        }
        WriteMatching(all, Name, WildcardOptions.None, (n, w, _) => w.IsMatch(n.Name),
            name => new NetNsException(NetNsErrorReason.NetworkNotFound, "get network",
                $"network '{name}' not found{(Namespace is null ? "" : $" in namespace '{Namespace}'")}", name));
    });
}
