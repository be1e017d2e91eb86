namespace NetNs.Core.Netlink;

/// <summary>nlmsg_flags (linux/netlink.h).</summary>
[Flags]
internal enum NetlinkFlags : ushort
{
    None = 0,
    /// <summary>NLM_F_REQUEST: a request.</summary>
    Request = 0x1,
    /// <summary>NLM_F_MULTI: part of a multipart reply, ended by NLMSG_DONE.</summary>
    Multi = 0x2,
    /// <summary>NLM_F_ACK: reply with an NLMSG_ERROR (error 0 on success).</summary>
    Ack = 0x4,
    /// <summary>NLM_F_ECHO: send the change's notification back to the requester too (before the ACK).</summary>
    Echo = 0x8,
    /// <summary>NLM_F_DUMP_INTR: the dump changed while it was read; retry it.</summary>
    DumpInterrupted = 0x10,
    /// <summary>NLM_F_ROOT (GET requests).</summary>
    Root = 0x100,
    /// <summary>NLM_F_MATCH (GET requests).</summary>
    Match = 0x200,
    /// <summary>NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH.</summary>
    Dump = Root | Match,
    /// <summary>NLM_F_REPLACE (NEW requests): replace an existing object.</summary>
    Replace = 0x100,
    /// <summary>NLM_F_EXCL (NEW requests): fail if it exists.</summary>
    Excl = 0x200,
    /// <summary>NLM_F_CREATE (NEW requests): create if missing.</summary>
    Create = 0x400,
    /// <summary>NLM_F_APPEND (NEW requests): add to the end of the list (a second FDB destination for one MAC).</summary>
    Append = 0x800,
    /// <summary>NLM_F_CAPPED (NLMSG_ERROR replies): the request payload was left out.</summary>
    Capped = 0x100,
    /// <summary>NLM_F_ACK_TLVS (NLMSG_ERROR replies): extended-ACK attributes follow.</summary>
    AckTlvs = 0x200,
}

/// <summary>nlmsg_type values NetNs sends or receives (linux/netlink.h, linux/rtnetlink.h).</summary>
internal enum MessageType : ushort
{
    Noop = 1,
    Error = 2,
    Done = 3,
    Overrun = 4,
    NewLink = 16,
    DelLink = 17,
    GetLink = 18,
    NewAddr = 20,
    DelAddr = 21,
    GetAddr = 22,
    NewRoute = 24,
    DelRoute = 25,
    GetRoute = 26,
    NewNeigh = 28,
    DelNeigh = 29,
    GetNeigh = 30,
    NewQdisc = 36,
    DelQdisc = 37,
    GetQdisc = 38,
    NewNsId = 88,
    DelNsId = 89,
    GetNsId = 90,
}
