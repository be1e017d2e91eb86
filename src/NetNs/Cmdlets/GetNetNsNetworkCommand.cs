using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Lists networks read back from their bridges' tags, with their members: those of one namespace, or with no
/// -Namespace every network the caller sees (its own namespace's and each named namespace's), labs' networks included.
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetNsNetwork", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(NetNsNetwork))]
public sealed class GetNetNsNetworkCommand : NetNsCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string LabSet = "Lab";

    /// <summary>The namespace holding the networks; every namespace the caller sees when omitted.</summary>
    [Parameter(Position = 0, ParameterSetName = NamespaceSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>Network names; wildcards allowed. All when omitted.</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>A lab: its networks (a LabInfo from Get-NetNsLab binds by its Lab property).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LabSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string Lab { get; set; } = "";

    /// <inheritdoc/>
    protected override void ProcessRecord() => Try(Namespace?.ToString() ?? Lab, () =>
    {
        IReadOnlyList<NetNsNetwork> all;
        if (ParameterSetName == LabSet)
            all = NetworkManager.ListLab(Lab);
        else if (Namespace is null)
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
