namespace NetNs.Core;

/// <summary>Whether a capture still reads packets.</summary>
public enum CaptureState
{
    /// <summary>Reading packets.</summary>
    Running,
    /// <summary>Stopped (by Stop, its -Count, its -Duration, or an error): its counters are final.</summary>
    Stopped,
}

/// <summary>
/// A packet capture in one or more namespaces, running on threads of its own: an AF_PACKET socket per interface (or
/// per namespace, for all its interfaces) made inside the namespace, filtered in the kernel by classic BPF compiled from
/// tcpdump's language, read through a TPACKET_V3 ring (as libpcap reads). Packets go to a pcapng file (when a path is given) and are kept in memory,
/// within bounds, for readers. Nothing is hidden: the kernel's drops (PACKET_STATISTICS) are KernelDrops, packets not
/// kept because the memory bound was reached are BufferDrops. Equivalent to `ip netns exec NS tcpdump -i IF -w FILE FILTER`.
/// </summary>
public sealed class NetNsCapture : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly object _gate = new();
    private readonly List<CaptureSource> _sources;
    private readonly List<Thread> _threads = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly CaptureOptions _options;
    private readonly List<CapturedFrame> _frames = [];
    private PcapngWriter? _writer;
    private long _retainedBytes, _packets, _bytes, _bufferDrops, _kernelDrops;
    private int _running;
    private DateTime? _endTime;
    private Exception? _failure;

    private NetNsCapture(int id, List<CaptureSource> sources, CaptureOptions options, PcapngWriter? writer)
    {
        Id = id;
        _sources = sources;
        _options = options;
        _writer = writer;
        StartTime = DateTime.Now;
        Namespace = sources.Select(s => s.Namespace).Distinct().ToArray();
        Interfaces = sources.Select(s => PcapngWriter.InterfaceName(s.Namespace, s.Socket.IfIndex == 0 ? "*" : s.Name(s.Socket.IfIndex))).ToArray();
    }

    /// <summary>Its number in this process (Stop-NetNsCapture -Id).</summary>
    public int Id { get; }

    /// <summary>The namespaces it captures in (null: the process's own).</summary>
    public string?[] Namespace { get; }

    /// <summary>What it captures on: "ns:if", or "ns:*" for every interface of a namespace.</summary>
    public string[] Interfaces { get; }

    /// <summary>The filter (tcpdump's language); empty for every packet.</summary>
    public string Filter => _options.Filter ?? "";

    /// <summary>The pcapng file it writes, if any.</summary>
    public string? Path => _options.Path;

    /// <summary>Bytes kept of each packet.</summary>
    public int SnapLength => _options.SnapLength;

    /// <summary>Running or Stopped.</summary>
    public CaptureState State => Volatile.Read(ref _running) > 0 ? CaptureState.Running : CaptureState.Stopped;

    /// <summary>When it started.</summary>
    public DateTime StartTime { get; }

    /// <summary>When it stopped (null while running).</summary>
    public DateTime? EndTime { get { lock (_gate) return _endTime; } }

    /// <summary>Packets captured (all written to the file, if any).</summary>
    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>Their bytes, as long as they were on the wire.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Every packet lost: <see cref="KernelDrops"/> + <see cref="BufferDrops"/>.</summary>
    public long Drops => KernelDrops + BufferDrops;

    /// <summary>Packets the kernel dropped because the capture ring was full (final when stopped).</summary>
    public long KernelDrops => Interlocked.Read(ref _kernelDrops);

    /// <summary>
    /// Packets captured but not kept in memory for readers (the memory bound was reached). With a file they are in the
    /// file; without one they are lost.
    /// </summary>
    public long BufferDrops => Interlocked.Read(ref _bufferDrops);

    /// <summary>Why it stopped, when a reader failed (the namespace was deleted, say); null otherwise.</summary>
    public string? Error { get { lock (_gate) return _failure?.Message; } }

    /// <summary>
    /// Starts capturing in <paramref name="namespaces"/> on <paramref name="interfaces"/> (null or empty: every interface
    /// of each namespace; "ns:if" names an interface of one namespace only, a plain name must exist in each namespace).
    /// InvalidFilter / LibpcapNotInstalled for the filter, NamespaceNotFound, LinkNotFound; nothing is left open or
    /// created on failure.
    /// </summary>
    public static NetNsCapture Start(IReadOnlyList<NamespaceRef> namespaces, IReadOnlyList<string>? interfaces, CaptureOptions options)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (namespaces.Count == 0)
            throw NetNsException.Invalid("start capture", "", "name at least one namespace to capture in");
        var program = BpfProgram.Compile(options.Filter, options.SnapLength);
        var sources = new List<CaptureSource>();
        PcapngWriter? writer = null;
        bool fileCreated = false;
        var handles = new List<(NamespaceRef Reference, NetlinkHandle Rtnl, Dictionary<int, string> Names)>();
        try
        {
            foreach (var reference in namespaces.Distinct())
            {
                var rtnl = NetlinkHandle.Open(reference);
                handles.Add((reference, rtnl, rtnl.LinkNames()));
            }
            foreach (var (reference, rtnl, names, indexes) in CaptureInterfaces.Resolve(handles, interfaces))
            {
                bool first = true;
                foreach (int index in indexes)
                {
                    var socket = PacketRing.Open(rtnl.Namespace, index, program, options.SnapLength, options.BufferSize, Poll);
                    // each source owns a netlink handle (for names): the first takes this one, the others open their own
                    sources.Add(new CaptureSource(first ? rtnl : NetlinkHandle.Open(reference), socket, names));
                    handles.RemoveAll(h => h.Rtnl == rtnl);
                    first = false;
                }
            }
            if (options.Path is { } path)
            {
                var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
                fileCreated = true;
                writer = new PcapngWriter(stream, options.SnapLength, "NetNs (Start-NetNsCapture)");
                foreach (var source in sources)
                {
                    foreach (string name in source.InterfaceNames)
                        writer.Interface(source.Namespace, name, 1);
                }
                writer.Flush();
            }
        }
        catch
        {
            writer?.Dispose();
            if (fileCreated)
                File.Delete(options.Path!);
            foreach (var s in sources)
                s.Dispose();
            foreach (var h in handles)
                h.Rtnl.Dispose();
            throw;
        }
        var capture = new NetNsCapture(CaptureRegistry.NextId(), sources, options, writer);
        capture.Begin();
        return capture;
    }

    private void Begin()
    {
        CaptureRegistry.Add(this);
        _running = _sources.Count;
        foreach (var source in _sources)
        {
            var t = new Thread(() => Read(source)) { IsBackground = true, Name = "netns-capture-" + Id };
            _threads.Add(t);
        }
        if (_options.Duration is { } d)
        {
            var deadline = DateTime.UtcNow + d;
            _deadline = deadline;
        }
        foreach (var t in _threads)
            t.UnsafeStart();
    }

    private DateTime _deadline = DateTime.MaxValue;

    // One socket's reader (on its own thread; the socket is inside its namespace already, no setns here).
    private void Read(CaptureSource source)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (DateTime.UtcNow >= _deadline)
                {
                    _stop.Cancel();
                    break;
                }
                Deliver(source, source.Socket.ReceiveBatch(false));
            }
            // What is already in the ring was captured before the stop: take it (a block not yet full is handed over
            // after the ring's retire timeout), so Packets + KernelDrops is exact.
            Thread.Sleep(2 * PacketRing.RetireMilliseconds + 10);
            while (!CountReached && Deliver(source, source.Socket.ReceiveBatch(true)) > 0)
            {
            }
            source.KernelDrops = source.Socket.TakeDrops();
            Interlocked.Add(ref _kernelDrops, source.KernelDrops);
        }
        catch (Exception e) when (e is NetNsException or ObjectDisposedException or IOException)
        {
            lock (_gate)
                _failure ??= e;
            _stop.Cancel();
        }
        finally
        {
            source.Dispose();
            if (Interlocked.Decrement(ref _running) == 0)
                Finish();
        }
    }

    private bool CountReached => _options.Count is { } c && Interlocked.Read(ref _packets) >= c;

    // One batch from a socket, under one lock: counted, written to the file, kept for readers (within bounds).
    private int Deliver(CaptureSource source, int count)
    {
        if (count == 0)
            return 0;
        lock (_gate)
        {
            int lastIf = -1, fileId = 0;
            string name = "";
            for (int i = 0; i < count; i++)
            {
                if (CountReached)
                {
                    _stop.Cancel();
                    break;
                }
                var data = source.Socket.Packet(i, out int ifIndex, out byte type, out ushort haType, out int length, out long ts);
                int linkType = haType == 0xFFFE ? 101 : 1; // ARPHRD_NONE (tun): raw IP; Ethernet and loopback otherwise
                if (ifIndex != lastIf)
                {
                    // looked up once per run of packets from one interface, not per packet
                    lastIf = ifIndex;
                    name = source.Name(ifIndex);
                    fileId = _writer?.Interface(source.Namespace, name, linkType) ?? 0;
                }
                var direction = type == PacketInterop.PACKET_OUTGOING ? PacketDirection.Out : PacketDirection.In;
                _packets++;
                _bytes += length;
                source.Count(ifIndex);
                _writer?.Packet(fileId, ts, length, data, direction, type);
                if (_frames.Count < _options.MaxRetainedPackets && _retainedBytes + data.Length <= _options.MaxRetainedBytes)
                {
                    _frames.Add(new CapturedFrame
                    {
                        Namespace = source.Namespace,
                        InterfaceAlias = name,
                        TimestampNs = ts,
                        Direction = direction,
                        PacketType = type,
                        LinkType = linkType,
                        OriginalLength = length,
                        Data = data.ToArray(),
                    });
                    _retainedBytes += data.Length;
                }
                else
                {
                    _bufferDrops++;
                }
            }
            if (CountReached)
                _stop.Cancel();
            Monitor.PulseAll(_gate);
        }
        return count;
    }

    // The last reader ended: statistics into the file, the file closed, readers woken.
    private void Finish()
    {
        lock (_gate)
        {
            if (_writer is not null)
            {
                long now = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
                try
                {
                    foreach (var ((ns, name), id) in _writer.Interfaces.OrderBy(p => p.Value))
                    {
                        var bound = _sources.FirstOrDefault(s => s.Namespace == ns && s.Socket.IfIndex != 0 && s.Name(s.Socket.IfIndex) == name);
                        _writer.Statistics(id, now, bound?.KernelDrops, _sources.Where(x => x.Namespace == ns).Sum(x => x.Received(x.Index(name))));
                    }
                    _writer.Dispose();
                }
                catch (IOException e)
                {
                    _failure ??= e;
                }
                _writer = null;
            }
            _endTime = DateTime.Now;
            Monitor.PulseAll(_gate);
        }
        CaptureRegistry.Remove(this);
    }

    /// <summary>
    /// The captured packets, decoded, from the first; while the capture runs it waits for more, until it stops,
    /// <paramref name="timeout"/> passes (null: no limit) or <paramref name="cancellation"/> is cancelled. Each reader
    /// sees every kept packet (reading takes nothing away).
    /// </summary>
    public IEnumerable<NetNsPacket> ReadPackets(TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var until = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        int next = 0;
        while (true)
        {
            CapturedFrame? frame = null;
            lock (_gate)
            {
                while (next >= _frames.Count && State == CaptureState.Running && !cancellation.IsCancellationRequested)
                {
                    var left = until - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                        break;
                    Monitor.Wait(_gate, left < Poll ? left : Poll);
                }
                if (next < _frames.Count)
                    frame = _frames[next++];
            }
            if (frame is null)
                yield break;
            yield return PacketDecoder.Decode(frame);
        }
    }

    /// <summary>The packets of a pcapng or pcap file, decoded (`tcpdump -r FILE`); "ns:if" interface names give their namespace.</summary>
    public static IEnumerable<NetNsPacket> ReadFile(string path) => CaptureFileReader.Read(path).Select(PacketDecoder.Decode);

    /// <summary>Stops capturing (what is queued in the kernel is still taken), closes the file, and waits for the readers.</summary>
    public void Stop()
    {
        _stop.Cancel();
        foreach (var t in _threads)
        {
            if (t != Thread.CurrentThread)
                t.Join(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>Waits until it stops by itself (its Count or Duration), at most <paramref name="timeout"/>; true when stopped.</summary>
    public bool Wait(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (State == CaptureState.Running || _endTime is null)
            {
                var left = until - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    return false;
                Monitor.Wait(_gate, left < Poll ? left : Poll);
            }
        }
        return true;
    }

    /// <summary>Packets, bytes and drops so far (final once stopped).</summary>
    public NetNsCaptureSummary Summary() => new(this);

    /// <inheritdoc/>
    public void Dispose() => Stop();

    /// <inheritdoc/>
    public override string ToString() => $"capture {Id} ({string.Join(", ", Interfaces)}): {State}, {Packets} packets, {Drops} dropped";
}
