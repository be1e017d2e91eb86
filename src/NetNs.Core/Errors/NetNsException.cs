using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>
/// The one error NetNs.Core throws: the operation, the errno (0 when the failure was not the kernel's),
/// the kernel's own extended-ACK message when it sent one, the object concerned, and a stable reason.
/// </summary>
public sealed class NetNsException : Exception
{
    /// <summary>Creates an error with an already worded message.</summary>
    public NetNsException(NetNsErrorReason reason, string operation, string message, string? target = null,
        int errno = 0, string? kernelMessage = null, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        Operation = operation;
        Target = target;
        Errno = errno;
        KernelMessage = kernelMessage;
    }

    /// <summary>Stable reason; its name is the ErrorId.</summary>
    public NetNsErrorReason Reason { get; }

    /// <summary>What was being done, e.g. "create link", "add address".</summary>
    public string Operation { get; }

    /// <summary>The namespace, link, address or route concerned, as the user would name it.</summary>
    public string? Target { get; }

    /// <summary>errno from the kernel, or 0.</summary>
    public int Errno { get; }

    /// <summary>The kernel's extended-ACK message (NLMSGERR_ATTR_MSG), if it sent one.</summary>
    public string? KernelMessage { get; }

    /// <summary>Maps an errno to a reason, depending on what kind of object the operation was about.</summary>
    public static NetNsErrorReason ReasonFor(int errno, ObjectKind kind) => errno switch
    {
        Interop.Errno.EPERM or Interop.Errno.EACCES => NetNsErrorReason.PermissionDenied,
        Interop.Errno.EEXIST => kind switch
        {
            ObjectKind.Namespace => NetNsErrorReason.NamespaceExists,
            ObjectKind.Link => NetNsErrorReason.LinkExists,
            ObjectKind.Address => NetNsErrorReason.AddressExists,
            ObjectKind.Route => NetNsErrorReason.RouteExists,
            _ => NetNsErrorReason.OperationFailed,
        },
        // EADDRNOTAVAIL means "no such address" only for addresses; elsewhere (e.g. a MAC the link refuses) it is bad input.
        Interop.Errno.EADDRNOTAVAIL => kind == ObjectKind.Address ? NetNsErrorReason.AddressNotFound : NetNsErrorReason.InvalidArgument,
        Interop.Errno.ENOENT or Interop.Errno.ENODEV or Interop.Errno.ESRCH => kind switch
        {
            ObjectKind.Namespace => NetNsErrorReason.NamespaceNotFound,
            ObjectKind.Link => NetNsErrorReason.LinkNotFound,
            ObjectKind.Address => NetNsErrorReason.AddressNotFound,
            ObjectKind.Route => NetNsErrorReason.RouteNotFound,
            ObjectKind.Sysctl => NetNsErrorReason.SysctlNotFound,
            _ => NetNsErrorReason.OperationFailed,
        },
        Interop.Errno.EBUSY => kind == ObjectKind.Namespace ? NetNsErrorReason.NamespaceBusy : NetNsErrorReason.LinkBusy,
        Interop.Errno.EINVAL or Interop.Errno.ERANGE or Interop.Errno.ENAMETOOLONG => NetNsErrorReason.InvalidArgument,
        Interop.Errno.ENETUNREACH => NetNsErrorReason.NetworkUnreachable,
        Interop.Errno.EOPNOTSUPP => NetNsErrorReason.NotSupported,
        Interop.Errno.EAGAIN or Interop.Errno.ETIMEDOUT => NetNsErrorReason.Timeout,
        _ => NetNsErrorReason.OperationFailed,
    };

    /// <summary>
    /// Builds the error for a failed system call or netlink request, worded for a human:
    /// "namespace 'red' already exists", "link 'veth0' not found in namespace 'blue'".
    /// </summary>
    public static NetNsException FromErrno(string operation, int errno, ObjectKind kind, string? target,
        string? inNamespace = null, string? kernelMessage = null)
    {
        var reason = ReasonFor(errno, kind);
        string what = target is null ? Noun(kind) : $"{Noun(kind)} '{target}'";
        string where = inNamespace is null ? "" : $" in namespace '{inNamespace}'";
        string text = reason switch
        {
            NetNsErrorReason.NamespaceExists or NetNsErrorReason.LinkExists or NetNsErrorReason.AddressExists
                or NetNsErrorReason.RouteExists => $"{what} already exists{where}",
            NetNsErrorReason.NamespaceNotFound or NetNsErrorReason.LinkNotFound or NetNsErrorReason.AddressNotFound
                or NetNsErrorReason.RouteNotFound or NetNsErrorReason.SysctlNotFound => $"{what} not found{where}",
            NetNsErrorReason.PermissionDenied =>
                $"cannot {operation} {what}{where}: permission denied (run as root, or with CAP_NET_ADMIN and CAP_SYS_ADMIN)",
            _ => $"cannot {operation} {what}{where}: {Interop.Errno.Describe(errno)}",
        };
        if (!string.IsNullOrEmpty(kernelMessage))
            text += $" (kernel: {kernelMessage})";
        return new NetNsException(reason, operation, text, target, errno, kernelMessage);
    }

    /// <summary>"link 'x' not found in namespace 'red'": the error a lookup by name gives when nothing has the name.</summary>
    public static NetNsException NotFound(ObjectKind kind, string target, string? inNamespace = null) =>
        FromErrno("get", kind == ObjectKind.Link ? Interop.Errno.ENODEV : Interop.Errno.ENOENT, kind, target, inNamespace);

    /// <summary>An input rejected before anything was touched.</summary>
    public static NetNsException Invalid(string operation, string target, string why) =>
        new(NetNsErrorReason.InvalidArgument, operation, why, target);

    private static string Noun(ObjectKind kind) => kind switch
    {
        ObjectKind.Namespace => "namespace",
        ObjectKind.Link => "link",
        ObjectKind.Address => "address",
        ObjectKind.Route => "route",
        ObjectKind.Sysctl => "sysctl",
        _ => "netlink",
    };
}
