using System.Management.Automation;
using NetNs.Core;

namespace NetNs;

/// <summary>
/// The one mapping from NetNs.Core's <see cref="NetNsErrorReason"/> to PowerShell: the ErrorId is the
/// reason's name, written out (stable across cultures and refactorings) and the category follows what went wrong.
/// </summary>
public static class ErrorMapping
{
    /// <summary>The ErrorCategory for a reason.</summary>
    public static ErrorCategory Category(NetNsErrorReason reason) => reason switch
    {
        NetNsErrorReason.InvalidArgument => ErrorCategory.InvalidArgument,
        NetNsErrorReason.PermissionDenied => ErrorCategory.PermissionDenied,
        NetNsErrorReason.NamespaceExists or NetNsErrorReason.LinkExists or NetNsErrorReason.AddressExists
            or NetNsErrorReason.RouteExists => ErrorCategory.ResourceExists,
        NetNsErrorReason.NamespaceNotFound or NetNsErrorReason.LinkNotFound or NetNsErrorReason.AddressNotFound
            or NetNsErrorReason.RouteNotFound or NetNsErrorReason.SysctlNotFound or NetNsErrorReason.ContainerNotFound => ErrorCategory.ObjectNotFound,
        NetNsErrorReason.NamespaceBusy or NetNsErrorReason.LinkBusy => ErrorCategory.ResourceBusy,
        NetNsErrorReason.NetworkUnreachable => ErrorCategory.ConnectionError,
        NetNsErrorReason.NotSupported => ErrorCategory.NotImplemented,
        NetNsErrorReason.MalformedReply => ErrorCategory.InvalidResult,
        NetNsErrorReason.Timeout or NetNsErrorReason.ConditionTimeout => ErrorCategory.OperationTimeout,
        NetNsErrorReason.NftablesNotInstalled => ErrorCategory.NotInstalled,
        NetNsErrorReason.RuleNotFound or NetNsErrorReason.NetworkNotFound => ErrorCategory.ObjectNotFound,
        NetNsErrorReason.NetworkExists => ErrorCategory.ResourceExists,
        NetNsErrorReason.NoFreeAddress => ErrorCategory.LimitsExceeded,
        NetNsErrorReason.NamespaceEscape => ErrorCategory.SecurityError,
        NetNsErrorReason.NetemNotAvailable => ErrorCategory.NotInstalled,
        NetNsErrorReason.InvalidFilter => ErrorCategory.InvalidArgument,
        NetNsErrorReason.LibpcapNotInstalled => ErrorCategory.NotInstalled,
        NetNsErrorReason.CaptureNotFound => ErrorCategory.ObjectNotFound,
        NetNsErrorReason.HostUnreachable => ErrorCategory.ConnectionError,
        NetNsErrorReason.HostModuleMismatch => ErrorCategory.InvalidOperation,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>
    /// The stable ErrorId for a reason: written out, so renaming a reason in the core cannot change what scripts
    /// match on (`-ErrorId`, FullyQualifiedErrorId).
    /// </summary>
    public static string ErrorId(NetNsErrorReason reason) => reason switch
    {
        NetNsErrorReason.OperationFailed => "OperationFailed",
        NetNsErrorReason.InvalidArgument => "InvalidArgument",
        NetNsErrorReason.PermissionDenied => "PermissionDenied",
        NetNsErrorReason.NamespaceExists => "NamespaceExists",
        NetNsErrorReason.NamespaceNotFound => "NamespaceNotFound",
        NetNsErrorReason.NamespaceBusy => "NamespaceBusy",
        NetNsErrorReason.LinkExists => "LinkExists",
        NetNsErrorReason.LinkNotFound => "LinkNotFound",
        NetNsErrorReason.LinkBusy => "LinkBusy",
        NetNsErrorReason.AddressExists => "AddressExists",
        NetNsErrorReason.AddressNotFound => "AddressNotFound",
        NetNsErrorReason.RouteExists => "RouteExists",
        NetNsErrorReason.RouteNotFound => "RouteNotFound",
        NetNsErrorReason.NetworkUnreachable => "NetworkUnreachable",
        NetNsErrorReason.SysctlNotFound => "SysctlNotFound",
        NetNsErrorReason.ContainerNotFound => "ContainerNotFound",
        NetNsErrorReason.NotSupported => "NotSupported",
        NetNsErrorReason.MalformedReply => "MalformedReply",
        NetNsErrorReason.Timeout => "Timeout",
        NetNsErrorReason.NftablesNotInstalled => "NftablesNotInstalled",
        NetNsErrorReason.RuleNotFound => "RuleNotFound",
        NetNsErrorReason.NetworkExists => "NetworkExists",
        NetNsErrorReason.NetworkNotFound => "NetworkNotFound",
        NetNsErrorReason.NoFreeAddress => "NoFreeAddress",
        NetNsErrorReason.NamespaceEscape => "NamespaceEscape",
        NetNsErrorReason.NetemNotAvailable => "NetemNotAvailable",
        NetNsErrorReason.InvalidFilter => "InvalidFilter",
        NetNsErrorReason.LibpcapNotInstalled => "LibpcapNotInstalled",
        NetNsErrorReason.CaptureNotFound => "CaptureNotFound",
        NetNsErrorReason.ConditionTimeout => "ConditionTimeout",
        NetNsErrorReason.HostUnreachable => "HostUnreachable",
        NetNsErrorReason.HostModuleMismatch => "HostModuleMismatch",
        _ => "OperationFailed",
    };

    /// <summary>An ErrorRecord for a core error, with the namespace, link, address or route as target.</summary>
    public static ErrorRecord ToErrorRecord(NetNsException e, object? target) =>
        new(e, ErrorId(e.Reason), Category(e.Reason), target ?? e.Target);
}
