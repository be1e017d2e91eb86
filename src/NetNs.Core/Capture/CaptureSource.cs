namespace NetNs.Core;

/// <summary>
/// One packet socket of a capture and what names its packets: its namespace, and the interface names by index
/// (re-read from the namespace when a packet comes from an interface made after the capture started).
/// </summary>
internal sealed class CaptureSource : IDisposable
{
    private readonly NetlinkHandle _rtnl;
    private Dictionary<int, string> _names;

    public CaptureSource(NetlinkHandle rtnl, PacketRing socket, Dictionary<int, string> names)
    {
        _rtnl = rtnl;
        Socket = socket;
        _names = names;
    }

    public PacketRing Socket { get; }

    /// <summary>The namespace's name (null: the process's own).</summary>
    public string? Namespace => _rtnl.NamespaceName;

    /// <summary>Packets the kernel dropped on this socket (read when its reader ends).</summary>
    public long KernelDrops { get; set; }

    private readonly Dictionary<int, long> _received = [];

    /// <summary>Counts a packet received on interface <paramref name="ifIndex"/> (for the file's statistics).</summary>
    public void Count(int ifIndex) => _received[ifIndex] = _received.GetValueOrDefault(ifIndex) + 1;

    /// <summary>Packets received on interface <paramref name="ifIndex"/>.</summary>
    public long Received(int ifIndex) => _received.GetValueOrDefault(ifIndex);

    /// <summary>The index of interface <paramref name="name"/> as this source knows it (0 when unknown).</summary>
    public int Index(string name) => _names.FirstOrDefault(p => p.Value == name).Key;

    /// <summary>The name of interface <paramref name="ifIndex"/>.</summary>
    public string Name(int ifIndex)
    {
        if (_names.TryGetValue(ifIndex, out var name))
            return name;
        try
        {
            _names = _rtnl.LinkNames();
        }
        catch (NetNsException)
        {
            // the namespace is going away: the index is all there is
        }
        return _names.TryGetValue(ifIndex, out name) ? name : "if" + ifIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The interfaces it captures on, by name.</summary>
    public IEnumerable<string> InterfaceNames => Socket.IfIndex == 0 ? _names.OrderBy(p => p.Key).Select(p => p.Value) : [Name(Socket.IfIndex)];

    public void Dispose()
    {
        Socket.Dispose();
        _rtnl.Dispose();
    }
}
