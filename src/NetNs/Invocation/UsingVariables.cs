using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace NetNs;

/// <summary>
/// `$using:` for a script block that runs in another runspace of this process, as ForEach-Object -Parallel
/// has it: each `$using:x` (also `$using:x.Prop`, `$using:x[0]`) of the block — also inside the blocks nested in it
/// (`$input | ForEach-Object { "$_ $using:port" }`), except those given to a command that has a `$using:` of its
/// own (Start-Job, Invoke-Command, a nested Invoke-InNetNamespace …), to which it belongs — is evaluated in the
/// caller's scope and handed over as the live object (no serialization), under a variable name the text is
/// rewritten to.
/// </summary>
internal static class UsingVariables
{
    private const string Prefix = "__NetNsUsing";

    /// <summary>The block's text with its `$using:` expressions replaced, and the values of the replacements.</summary>
    public static (string Text, Dictionary<string, object?> Values) Rewrite(ScriptBlock block, SessionState caller)
    {
        var root = (ScriptBlockAst)block.Ast;
        string text = root.Extent.Text;
        int origin = root.Extent.StartOffset;
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        var usings = root.FindAll(a => a is UsingExpressionAst u && OwnerOf(u) == root, searchNestedScriptBlocks: true)
            .Cast<UsingExpressionAst>().OrderBy(u => u.Extent.StartOffset).ToList();

        var result = new StringBuilder();
        int at = 0;
        foreach (var u in usings)
        {
            string name = Prefix + values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            values[name] = Evaluate(u, caller);
            result.Append(text, at, u.Extent.StartOffset - origin - at).Append('$').Append(name);
            at = u.Extent.EndOffset - origin;
        }
        result.Append(text, at, text.Length - at);
        string rewritten = result.ToString();
        // A literal { ... } carries its braces in the extent: the body is what runs.
        if (root.Parent is ScriptBlockExpressionAst && rewritten.Length >= 2 && rewritten[0] == '{' && rewritten[^1] == '}')
            rewritten = rewritten[1..^1];
        return (rewritten, values);
    }

    // Commands whose script-block arguments run elsewhere and resolve `$using:` themselves.
    private static readonly HashSet<string> UsingOwners = new(StringComparer.OrdinalIgnoreCase)
    {
        "Start-Job", "Invoke-Command", "icm", "Start-ThreadJob", "Invoke-InNetNamespace", "Invoke-NetNsCommand",
        "Microsoft.PowerShell.Core\\Start-Job", "Microsoft.PowerShell.Core\\Invoke-Command", "NetNs\\Invoke-InNetNamespace",
    };

    /// <summary>The block a `$using:` belongs to: the nearest enclosing block given to a command with a `$using:` of its own, else the root.</summary>
    private static ScriptBlockAst? OwnerOf(Ast ast)
    {
        ScriptBlockAst? outermost = null;
        for (var p = ast.Parent; p is not null; p = p.Parent)
        {
            if (p is not ScriptBlockAst sb)
                continue;
            outermost = sb;
            if (sb.Parent is ScriptBlockExpressionAst { Parent: CommandAst command } && OwnsUsing(command))
                return sb;
        }
        return outermost;
    }

    private static bool OwnsUsing(CommandAst command)
    {
        string? name = command.GetCommandName();
        if (name is null)
            return true; // `& $something { … }`: cannot tell, leave its `$using:` to it
        if (UsingOwners.Contains(name))
            return true;
        return name.Equals("ForEach-Object", StringComparison.OrdinalIgnoreCase) || name is "%" or "foreach"
            ? command.CommandElements.OfType<CommandParameterAst>().Any(p => p.ParameterName.Length >= 2
                && "Parallel".StartsWith(p.ParameterName, StringComparison.OrdinalIgnoreCase))
            : false;
    }

    private static object? Evaluate(UsingExpressionAst u, SessionState caller)
    {
        var variable = UsingExpressionAst.ExtractUsingVariable(u);
        string name = variable.VariablePath.UserPath;
        var psVariable = caller.PSVariable.Get(name);
        if (psVariable is null && !name.Contains(':'))
            throw new RuntimeException($"The variable '$using:{name}' cannot be retrieved because it has not been set in the caller's scope.");
        object? value = psVariable is not null ? psVariable.Value : caller.InvokeCommand.InvokeScript(false, ScriptBlock.Create("$" + name), null).FirstOrDefault()?.BaseObject;
        if (u.SubExpression is VariableExpressionAst)
            return value;
        // $using:x.Prop or $using:x[0]: the rest of the expression, applied to the value.
        string sub = u.SubExpression.Extent.Text;
        int varStart = variable.Extent.StartOffset - u.SubExpression.Extent.StartOffset;
        string rest = sub[..varStart] + "$__v" + sub[(varStart + variable.Extent.Text.Length)..];
        object? result = ScriptBlock.Create("param($__v) " + rest).InvokeReturnAsIs(value);
        return result is PSObject p && p.BaseObject is not PSCustomObject ? p.BaseObject : result;
    }
}
