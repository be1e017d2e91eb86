namespace NetNs.Core;

/// <summary>
/// Why an operation failed. Its name is the stable ErrorId the cmdlets report (never localized).
/// </summary>
public enum NetNsErrorReason
{
    /// <summary>Anything not covered below.</summary>
    OperationFailed,
    /// <summary>Bad input, rejected before anything was touched, or refused by the kernel as invalid.</summary>
    InvalidArgument,
    /// <summary>EPERM/EACCES: not root, or missing CAP_NET_ADMIN/CAP_SYS_ADMIN.</summary>
    PermissionDenied,
    /// <summary>The namespace name is taken.</summary>
    NamespaceExists,
    /// <summary>No such namespace (name, path or process).</summary>
    NamespaceNotFound,
    /// <summary>The namespace is still held (EBUSY).</summary>
    NamespaceBusy,
    /// <summary>A link of that name already exists.</summary>
    LinkExists,
    /// <summary>No link of that name or index.</summary>
    LinkNotFound,
    /// <summary>The link is busy (EBUSY), for example renamed while up.</summary>
    LinkBusy,
    /// <summary>The address is already there.</summary>
    AddressExists,
    /// <summary>The address is not there.</summary>
    AddressNotFound,
    /// <summary>The route is already there.</summary>
    RouteExists,
    /// <summary>No such route.</summary>
    RouteNotFound,
    /// <summary>The gateway is not reachable from any link (ENETUNREACH).</summary>
    NetworkUnreachable,
    /// <summary>No such sysctl key in the namespace.</summary>
    SysctlNotFound,
    /// <summary>No container of that name or id.</summary>
    ContainerNotFound,
    /// <summary>The kernel or driver does not support the operation (EOPNOTSUPP).</summary>
    NotSupported,
    /// <summary>A reply from the kernel could not be decoded.</summary>
    MalformedReply,
    /// <summary>The kernel did not answer in time.</summary>
    Timeout,
    /// <summary>libnftables (package libnftables1) is not installed, so NAT and forwarding rules cannot be made.</summary>
    NftablesNotInstalled,
    /// <summary>No such rule in NetNs's nftables table.</summary>
    RuleNotFound,
    /// <summary>A network of that name already exists in the namespace.</summary>
    NetworkExists,
    /// <summary>No NetNs network of that name (or no such member).</summary>
    NetworkNotFound,
    /// <summary>Every address of the network's subnet is taken.</summary>
    NoFreeAddress,
    /// <summary>Work of a script block run inside a namespace connected from a thread outside it (the caller's namespace).</summary>
    NamespaceEscape,
    /// <summary>The kernel has no netem (sch_netem): delay, jitter, duplication, corruption and reordering cannot be emulated.</summary>
    NetemNotAvailable,
    /// <summary>A capture filter (tcpdump's language) that libpcap's pcap_compile refused; the message is libpcap's.</summary>
    InvalidFilter,
    /// <summary>A capture filter was given and libpcap (Debian's libpcap0.8) is not installed to compile it.</summary>
    LibpcapNotInstalled,
    /// <summary>No running or finished capture has the given id.</summary>
    CaptureNotFound,
    /// <summary>A condition waited for (an address answering, a port listening, a link up) did not come true in time.</summary>
    ConditionTimeout,
    /// <summary>A host of a lab across hosts cannot be reached (PowerShell remoting over SSH failed).</summary>
    HostUnreachable,
    /// <summary>A host of a lab across hosts runs another NetNs version than the caller (or none).</summary>
    HostModuleMismatch,
}

/// <summary>What kind of object an operation was about; picks the <see cref="NetNsErrorReason"/> for an errno.</summary>
public enum ObjectKind
{
    /// <summary>A network namespace.</summary>
    Namespace,
    /// <summary>A network interface.</summary>
    Link,
    /// <summary>An IP address on a link.</summary>
    Address,
    /// <summary>A route.</summary>
    Route,
    /// <summary>A net.* sysctl key.</summary>
    Sysctl,
    /// <summary>A netlink socket or message.</summary>
    Netlink,
}
