using System.Runtime.InteropServices;

namespace NetNs.Core.Interop;

/// <summary>An owned file descriptor, closed exactly once.</summary>
internal sealed class SafeFd : SafeHandle
{
    public SafeFd() : base(new IntPtr(-1), ownsHandle: true) { }

    public SafeFd(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The raw descriptor; only valid while this handle is alive (use DangerousAddRef around long uses).</summary>
    public int Value => IsClosed ? -1 : (int)handle.ToInt64();

    protected override bool ReleaseHandle() => Libc.close((int)handle.ToInt64()) == 0;
}
