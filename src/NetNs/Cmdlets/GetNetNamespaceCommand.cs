using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Lists named network namespaces (`ip netns list`), filtered by name with wildcards, or tells which
/// namespace a process is in (`ip netns identify PID`).
/// </summary>
[Cmdlet(VerbsCommon.Get, "NetNamespace", DefaultParameterSetName = NameSet)]
[OutputType(typeof(NetNamespace))]
public sealed class GetNetNamespaceCommand : NetNsCmdlet
{
    private const string NameSet = "Name";
    private const string ProcessSet = "ProcessId";

    /// <summary>Names to get; wildcards allowed. All when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Processes whose network namespace to get (binds Get-Process output by its Id).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ProcessSet)]
    [Alias("Id", "Pid")]
    [ValidateRange(1, int.MaxValue)]
    public int[] ProcessId { get; set; } = [];

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == ProcessSet)
        {
            foreach (int pid in ProcessId)
                Try(pid, () => WriteObject(NamespaceCatalog.Identify(pid), enumerateCollection: true));
            return;
        }
        IReadOnlyList<NetNamespace> all;
        try
        {
            all = NamespaceCatalog.List();
        }
        catch (NetNsException e)
        {
            WriteNetNsError(e, null);
            return;
        }
        WriteMatching(all, Name, WildcardOptions.None, (n, w, _) => w.IsMatch(n.Name),
            name => NetNsException.NotFound(ObjectKind.Namespace, name));
    }
}
