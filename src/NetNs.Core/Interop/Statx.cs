namespace NetNs.Core.Interop;

/// <summary>statx(2): the identity (st_dev, st_ino) and file type of a path or an open descriptor.</summary>
internal static class Statx
{
    /// <summary>statx(2) on a path (following links, as stat does), or with AT_EMPTY_PATH on <paramref name="dirfd"/>.</summary>
    public static unsafe bool Try(int dirfd, string path, int flags, out ulong device, out ulong inode, out int type, out int errno)
    {
        byte* buf = stackalloc byte[256];
        if (Libc.statx(dirfd, path, flags, Libc.STATX_INO | Libc.STATX_TYPE, buf) != 0)
        {
            errno = Errno.Last;
            device = inode = 0;
            type = 0;
            return false;
        }
        errno = 0;
        // struct statx: stx_mode at offset 28, stx_ino at 32; stx_dev_major at 136, stx_dev_minor at 140 (linux/stat.h).
        inode = *(ulong*)(buf + 32);
        uint major = *(uint*)(buf + 136);
        uint minor = *(uint*)(buf + 140);
        // makedev(3) as glibc encodes it, so the device matches st_dev from stat(2).
        device = ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8)
               | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
        type = *(ushort*)(buf + 28) & 0xf000;
        return true;
    }
}
