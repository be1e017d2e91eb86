using System.Runtime.InteropServices;

namespace NetNs.Core.Tests;

/// <summary>A fact that needs root (CAP_SYS_ADMIN + CAP_NET_ADMIN) and the real kernel; skipped with the reason otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Privilege.IsRoot)
            Skip = "needs root on Linux (creates network namespaces on the real kernel)";
    }
}

/// <summary>A theory that needs root; see <see cref="RootFactAttribute"/>.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!Privilege.IsRoot)
            Skip = "needs root on Linux (creates network namespaces on the real kernel)";
    }
}

internal static partial class Privilege
{
    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    [LibraryImport("libc")]
    private static partial int geteuid();
}
