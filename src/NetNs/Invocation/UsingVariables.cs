using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace NetNs;

/// <summary>
/// `$using:` for a script block that runs in another runspace of this process, as ForEach-Object -Parallel
/// has it: each `$using:x` (also `$using:x.Prop`, `$using:x[0]`) of the block itself — not of script blocks
/// nested in it, whose `$using:` belongs to them — is evaluated in the caller's scope and handed over as the
/// live object (no serialization), under a variable name the text is rewritten to.
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

    private static ScriptBlockAst? OwnerOf(Ast ast)
    {
        for (var p = ast.Parent; p is not null; p = p.Parent)
        {
            if (p is ScriptBlockAst sb)
                return sb;
        }
        return null;
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
