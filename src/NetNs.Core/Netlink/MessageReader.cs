namespace NetNs.Core.Netlink;

/// <summary>Walks the netlink messages in one received datagram (NLMSG_OK / NLMSG_NEXT).</summary>
internal ref struct MessageReader
{
    private ReadOnlySpan<byte> _rest;

    public MessageReader(ReadOnlySpan<byte> datagram) => _rest = datagram;

    /// <summary>The next message's header and payload (without the header); false at the end.</summary>
    public bool Next(out NetlinkHeader header, out ReadOnlySpan<byte> payload)
    {
        if (_rest.IsEmpty)
        {
            header = default;
            payload = default;
            return false;
        }
        header = NetlinkHeader.Read(_rest);
        // NLMSG_OK: nlmsg_len >= sizeof(nlmsghdr) && nlmsg_len <= len
        if (header.Length < NetlinkHeader.Size || header.Length > _rest.Length)
            throw NetlinkDecode.Error($"message length {header.Length} outside 16..{_rest.Length}");
        payload = _rest[NetlinkHeader.Size..(int)header.Length];
        int next = Math.Min(Align.Message((int)header.Length), _rest.Length);
        _rest = _rest[next..];
        return true;
    }
}
