using System.Runtime.InteropServices;

namespace NetNs.Core.Interop;

/// <summary>errno values (asm-generic/errno-base.h, errno.h) that NetNs reacts to, and the last one set.</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOBUFS = 105;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int ENOTDIR = 20;
    public const int EINVAL = 22;
    public const int ERANGE = 34;
    public const int ENAMETOOLONG = 36;
    public const int EOPNOTSUPP = 95;
    public const int EADDRINUSE = 98;
    public const int EADDRNOTAVAIL = 99;
    public const int ENETUNREACH = 101;
    public const int ETIMEDOUT = 110;

    /// <summary>errno of the last LibraryImport call made with SetLastError on this thread.</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    /// <summary>strerror(3) text for an errno.</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
