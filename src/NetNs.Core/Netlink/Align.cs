namespace NetNs.Core.Netlink;

/// <summary>Netlink alignment, as the kernel's uapi headers define it.</summary>
internal static class Align
{
    /// <summary>NLMSG_ALIGNTO and RTA_ALIGNTO (linux/netlink.h, linux/rtnetlink.h): 4 bytes.</summary>
    public const int To = 4;

    /// <summary>#define NLMSG_ALIGN(len) ( ((len)+NLMSG_ALIGNTO-1) &amp; ~(NLMSG_ALIGNTO-1) )</summary>
    public static int Message(int len) => (len + To - 1) & ~(To - 1);

    /// <summary>#define RTA_ALIGN(len) ( ((len)+RTA_ALIGNTO-1) &amp; ~(RTA_ALIGNTO-1) )</summary>
    public static int Attribute(int len) => (len + To - 1) & ~(To - 1);

    /// <summary>#define NLMSG_HDRLEN ((int) NLMSG_ALIGN(sizeof(struct nlmsghdr))): 16.</summary>
    public const int MessageHeaderLength = 16;

    /// <summary>#define RTA_LENGTH(len) (RTA_ALIGN(sizeof(struct rtattr)) + (len)); sizeof(struct rtattr) is 4.</summary>
    public const int AttributeHeaderLength = 4;
}
