using System.Management.Automation.Language;
using NetNs.Core;

namespace NetNs;

/// <summary>
/// Refuses, before anything runs, a block that names ForEach-Object -Parallel or Start-ThreadJob, with its line (BoundaryGuards
/// refuses them again at run time, however they are reached): PowerShell runs
/// those script blocks on threads it makes outside the namespace, so they would silently act on the caller's
/// network. (Start-Job starts a child process from the namespace thread, so it stays inside.)
/// </summary>
internal static class ThreadPoolGuard
{
    private static readonly HashSet<string> ForEachNames = new(StringComparer.OrdinalIgnoreCase) { "ForEach-Object", "%", "foreach", "Microsoft.PowerShell.Core\\ForEach-Object" };
    private static readonly HashSet<string> ThreadJobNames = new(StringComparer.OrdinalIgnoreCase) { "Start-ThreadJob", "ThreadJob\\Start-ThreadJob" };

    /// <summary>Throws NotSupported naming the first such command of the block, with its line.</summary>
    public static void Check(ScriptBlockAst block)
    {
        var found = block.Find(a => a is CommandAst c && Escapes(c), searchNestedScriptBlocks: true);
        if (found is CommandAst command)
            throw new NetNsException(NetNsErrorReason.NotSupported, "invoke in namespace",
                $"line {command.Extent.StartLineNumber}: '{command.Extent.Text.Split('\n')[0].Trim()}' would run outside the namespace " +
                "(PowerShell makes the threads of ForEach-Object -Parallel and Start-ThreadJob outside it): use a plain ForEach-Object, " +
                "or one Invoke-InNetNamespace per item (several run at once from the caller's ForEach-Object -Parallel)");
    }

    private static bool Escapes(CommandAst c)
    {
        string? name = c.GetCommandName();
        if (name is null)
            return false;
        if (ThreadJobNames.Contains(name))
            return true;
        return ForEachNames.Contains(name) && c.CommandElements.OfType<CommandParameterAst>()
            .Any(p => p.ParameterName.Length >= 2 && "Parallel".StartsWith(p.ParameterName, StringComparison.OrdinalIgnoreCase));
    }
}
