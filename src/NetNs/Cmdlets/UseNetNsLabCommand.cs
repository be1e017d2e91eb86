using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Deploys a lab, runs a script block with it ($_ and the first argument are the lab), and removes the lab in a
/// finally: also when the block throws or the pipeline is stopped. Made for Pester BeforeAll/It and for scripts.
/// </summary>
[Cmdlet(VerbsOther.Use, "NetNsLab", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(PSObject))]
public sealed class UseNetNsLabCommand : NetNsCmdlet
{
    private const string PathSet = "Path";
    private const string DefinitionSet = "Definition";

    /// <summary>A .psd1 or .json definition file.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Deploy under this lab name instead of the definition's Name (e.g. one file, several labs side by side).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>A definition: a hashtable or JSON string.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DefinitionSet)]
    [ValidateNotNull]
    public object Definition { get; set; } = null!;

    /// <summary>What to run while the lab is up.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNull]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        LabDefinition definition;
        try
        {
            definition = LabDefinitionSource.Load(ParameterSetName == PathSet ? GetUnresolvedProviderPathFromPSPath(Path) : null, Definition, Name);
        }
        catch (NetNsException e)
        {
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, Path));
            return;
        }
        if (!ShouldChange(definition.Name, "Deploy lab, run the script block, remove the lab"))
            return;
        if (LabHostSplitter.SpansHosts(definition))
        {
            UseAcrossHosts(definition);
            return;
        }
        if (RunningLabReader.HasNamespaces(definition.Name))
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(new NetNsException(NetNsErrorReason.NamespaceExists, "use lab",
                $"lab '{definition.Name}' (or a namespace '{definition.Name}-…') exists already: Use-NetNsLab makes its own lab and removes it afterwards", definition.Name), definition.Name));
        try
        {
            LabPlan plan = null!;
            try
            {
                plan = LabDeployment.Plan(definition, StopToken);
                LabDeployment.Apply(plan, StopToken);
            }
            catch (NetNsException e)
            {
                ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, definition.Name));
            }
            var lab = LabInfo.FromModel(plan.Desired); // what the lab now is, as Deploy-NetNsLab writes it (no second read)
            var output = ScriptBlock.InvokeWithContext(null, [new PSVariable("_", lab)], lab);
            WriteObject(output, enumerateCollection: true);
        }
        finally
        {
            try
            {
                LabDeployment.Remove(definition.Name, out _);
            }
            catch (NetNsException e)
            {
                WriteNetNsError(e, definition.Name);
            }
        }
    }

    // A lab across hosts: deployed on every host, the block run, removed on every host in a finally (what the deploy
    // made on some hosts before another failed too).
    private void UseAcrossHosts(LabDefinition definition)
    {
        bool madeNothing = false;
        try
        {
            LabInfo lab = null!;
            try
            {
                lab = Remoting.LabAcrossHosts.Deploy(this, definition, passThru: false, installModule: false, ask: false)!;
            }
            catch (NetNsException e)
            {
                // A host that cannot be reached, or runs another NetNs, fails the plan: nothing was made anywhere.
                madeNothing = e.Reason is NetNsErrorReason.HostUnreachable or NetNsErrorReason.HostModuleMismatch;
                ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, definition.Name));
            }
            var output = ScriptBlock.InvokeWithContext(null, [new PSVariable("_", lab)], lab);
            WriteObject(output, enumerateCollection: true);
        }
        finally
        {
            try
            {
                if (!madeNothing)
                    Remoting.LabAcrossHosts.Remove(this, definition, () => RunningLabReader.HasNamespaces(definition.Name) && LabDeployment.Remove(definition.Name, out _).Count > 0, ask: false);
            }
            catch (NetNsException e) when (e.Reason != NetNsErrorReason.NamespaceNotFound)
            {
                WriteNetNsError(e, definition.Name);
            }
            catch (NetNsException)
            {
                // nothing was made
            }
        }
    }
}
