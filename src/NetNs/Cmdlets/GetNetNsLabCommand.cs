using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>Lists running labs with their nodes, networks, links and addresses, rebuilt from the kernel's tags.</summary>
[Cmdlet(VerbsCommon.Get, "NetNsLab")]
[OutputType(typeof(LabInfo))]
public sealed class GetNetNsLabCommand : NetNsCmdlet
{
    /// <summary>Lab names; wildcards allowed; all labs when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(LabNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override bool RequiresPrivilege => true;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Try(null, () =>
        {
            var labs = new List<LabInfo>();
            foreach (string name in RunningLabReader.ListLabs())
            {
                var model = RunningLabReader.Read(name);
                foreach (string ns in model.Untagged)
                    WriteWarning($"namespace '{ns}' has lab '{name}''s prefix but no tag: not part of the lab (Remove-NetNsLab leaves it alone)");
                if (model.Namespaces.Count > 0)
                    labs.Add(LabInfo.FromModel(model, LabImpairments.ReadSpec));
            }
            WriteMatching(labs, Name, WildcardOptions.None, (l, w, _) => w.IsMatch(l.Name),
                n => new NetNsException(NetNsErrorReason.NamespaceNotFound, "get lab", $"no lab '{n}' is running", n));
        });
    }
}
