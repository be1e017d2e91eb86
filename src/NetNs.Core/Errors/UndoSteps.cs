namespace NetNs.Core;

/// <summary>
/// The undo steps of one operation made of several kernel changes: each change that succeeds pushes how to undo it;
/// when a later one fails, <see cref="Run"/> undoes them newest first, so the operation leaves nothing half-made.
/// </summary>
internal sealed class UndoSteps
{
    private readonly Stack<Action> _steps = new();

    /// <summary>Adds the undo of a change just made.</summary>
    public void Push(Action undo) => _steps.Push(undo);

    /// <summary>Forgets every step: the operation succeeded.</summary>
    public void Clear() => _steps.Clear();

    /// <summary>
    /// Runs every step, newest first. A step that fails (e.g. a link already gone with its namespace) is skipped: the
    /// error that made the operation fail is the one the caller needs to see.
    /// </summary>
    public void Run()
    {
        while (_steps.TryPop(out var step))
        {
            try
            {
                step();
            }
            catch (Exception e) when (e is NetNsException or IOException or UnauthorizedAccessException)
            {
                // best effort
            }
        }
    }
}
