using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Removes lab networks: their members' veth pairs, NAT rules, bridge and (with the last) the forwarding values.</summary>
[Cmdlet(VerbsCommon.Remove, "NetNsNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNetNsNetworkCommand : NetNsCmdlet
{
    /// <summary>The namespace holding the networks. Required: NetNs changes the caller's own firewall or sysctls only when it is named (-Namespace $PID).</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef Namespace { get; set; } = NamespaceRef.Current;

    /// <summary>Networks to remove; wildcards match the namespace's networks.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ObjectNameTransformation("Namespace", "Name")]
    public string[] Name { get; set; } = [];

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        NetworkManager? networks = null;
        try
        {
            NetworkManager Networks() => networks ??= NetworksOf(Namespace);
            foreach (string name in ExpandNames(Name, () => Networks().List().Select(n => n.Name)))
            {
                if (ShouldChange(Describe($"network '{name}'", Namespace), "Remove network"))
                    Try(name, () => Networks().Remove(name));
            }
        }
        catch (NetNsException e)
        {
            WriteNetNsError(e, Namespace.ToString());
        }
        finally
        {
            networks?.Dispose();
        }
    }
}
