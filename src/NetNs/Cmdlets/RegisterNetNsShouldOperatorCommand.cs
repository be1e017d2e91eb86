using System.Management.Automation;

namespace NetNs.Cmdlets;

/// <summary>
/// Registers NetNs's Pester 5 Should operators (-Reach, -NotReach, -HaveCaptured). Importing NetNs does it when Pester
/// 5 is loaded already; when Pester is imported after NetNs, run this once. Running it again registers nothing more.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "NetNsShouldOperator", SupportsShouldProcess = true)]
[OutputType(typeof(string))]
public sealed class RegisterNetNsShouldOperatorCommand : PSCmdlet
{
    /// <summary>Write the names of the operators registered now (none when they already were).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (!ShouldProcess("Pester", "Register the Should operators -Reach, -NotReach and -HaveCaptured"))
            return;
        try
        {
            foreach (var name in PesterOperators.Register(InvokeCommand, PassThru))
                WriteObject(name);
        }
        catch (RuntimeException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "PesterNotLoaded", ErrorCategory.ObjectNotFound, null));
        }
    }
}
