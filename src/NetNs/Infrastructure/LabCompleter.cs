using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using NetNs.Core;

namespace NetNs;

/// <summary>Completes a lab's -Name with the labs running (found by their tags).</summary>
public sealed class LabNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<string> labs;
        try
        {
            labs = RunningLabReader.ListLabs();
        }
        catch (Exception e) when (e is NetNsException or IOException or UnauthorizedAccessException)
        {
            labs = [];
        }
        return Completion.Results(labs, wordToComplete);
    }
}
