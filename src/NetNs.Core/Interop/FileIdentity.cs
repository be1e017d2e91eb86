namespace NetNs.Core.Interop;

/// <summary>(st_dev, st_ino) of a file: how namespaces(7) says two nsfs files are the same namespace.</summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    /// <summary>statx(2) on a path (following links, as stat does).</summary>
    internal static bool TryOfPath(string path, out FileIdentity id, out int errno) =>
        TryStatx(Libc.AT_FDCWD, path, 0, out id, out _, out errno);

    /// <summary>statx(2) with AT_EMPTY_PATH on an open descriptor (fstat); errno when it fails.</summary>
    internal static bool TryOfFd(SafeFd fd, out FileIdentity id, out int errno) =>
        TryStatx(fd.Value, "", Libc.AT_EMPTY_PATH, out id, out _, out errno);

    /// <summary>
    /// The file type bits of stx_mode (S_IFMT), following links; errno when the path cannot be looked at.
    /// An nsfs file (/proc/PID/ns/net, or a bind mount of one) is a regular file (S_IFREG, 0x8000).
    /// </summary>
    internal static bool TryTypeOfPath(string path, out int type, out int errno) =>
        TryStatx(Libc.AT_FDCWD, path, 0, out _, out type, out errno);

    private static unsafe bool TryStatx(int dirfd, string path, int flags, out FileIdentity id, out int type, out int errno)
    {
        byte* buf = stackalloc byte[256];
        if (Libc.statx(dirfd, path, flags, Libc.STATX_INO | Libc.STATX_TYPE, buf) != 0)
        {
            errno = Errno.Last;
            id = default;
            type = 0;
            return false;
        }
        errno = 0;
        id = Decode(buf);
        type = *(ushort*)(buf + 28) & 0xf000; // stx_mode at offset 28
        return true;
    }

    // struct statx: stx_ino at offset 32; stx_dev_major at 136, stx_dev_minor at 140 (linux/stat.h).
    private static unsafe FileIdentity Decode(byte* buf)
    {
        ulong ino = *(ulong*)(buf + 32);
        uint major = *(uint*)(buf + 136);
        uint minor = *(uint*)(buf + 140);
        // makedev(3) as glibc encodes it, so Device matches st_dev from stat(2).
        ulong dev = ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8)
                  | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
        return new FileIdentity(dev, ino);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Device}:{Inode}";
}
