using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>(st_dev, st_ino) of a file: how namespaces(7) says two nsfs files are the same namespace.</summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    /// <summary>statx(2) on a path (following links, as stat does).</summary>
    internal static bool TryOfPath(string path, out FileIdentity id, out int errno) =>
        Try(Libc.AT_FDCWD, path, 0, out id, out _, out errno);

    /// <summary>statx(2) with AT_EMPTY_PATH on an open descriptor (fstat); errno when it fails.</summary>
    internal static bool TryOfFd(SafeFd fd, out FileIdentity id, out int errno) =>
        Try(fd.Value, "", Libc.AT_EMPTY_PATH, out id, out _, out errno);

    /// <summary>
    /// The file type bits of stx_mode (S_IFMT), following links; errno when the path cannot be looked at.
    /// An nsfs file (/proc/PID/ns/net, or a bind mount of one) is a regular file (S_IFREG, 0x8000).
    /// </summary>
    internal static bool TryTypeOfPath(string path, out int type, out int errno) =>
        Try(Libc.AT_FDCWD, path, 0, out _, out type, out errno);

    private static bool Try(int dirfd, string path, int flags, out FileIdentity id, out int type, out int errno)
    {
        bool ok = Statx.Try(dirfd, path, flags, out ulong device, out ulong inode, out type, out errno);
        id = ok ? new FileIdentity(device, inode) : default;
        return ok;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Device}:{Inode}";
}
