namespace NetNs.Core;

/// <summary>What a stopped capture got: packets, bytes and drops (what Stop-NetNsCapture writes).</summary>
public sealed class NetNsCaptureSummary
{
    internal NetNsCaptureSummary(NetNsCapture capture)
    {
        Id = capture.Id;
        Namespace = capture.Namespace;
        Interfaces = capture.Interfaces;
        Filter = capture.Filter;
        Path = capture.Path;
        StartTime = capture.StartTime;
        EndTime = capture.EndTime ?? DateTime.Now;
        Packets = capture.Packets;
        Bytes = capture.Bytes;
        KernelDrops = capture.KernelDrops;
        BufferDrops = capture.BufferDrops;
        Error = capture.Error;
    }

    /// <summary>The capture's number.</summary>
    public int Id { get; }

    /// <summary>The namespaces it captured in.</summary>
    public string?[] Namespace { get; }

    /// <summary>What it captured on ("ns:if", "ns:*").</summary>
    public string[] Interfaces { get; }

    /// <summary>Its filter.</summary>
    public string Filter { get; }

    /// <summary>The pcapng file it wrote, if any.</summary>
    public string? Path { get; }

    /// <summary>When it started.</summary>
    public DateTime StartTime { get; }

    /// <summary>When it stopped.</summary>
    public DateTime EndTime { get; }

    /// <summary>How long it ran.</summary>
    public TimeSpan Duration => EndTime - StartTime;

    /// <summary>Packets captured.</summary>
    public long Packets { get; }

    /// <summary>Their bytes on the wire.</summary>
    public long Bytes { get; }

    /// <summary>Every packet lost: KernelDrops + BufferDrops.</summary>
    public long Drops => KernelDrops + BufferDrops;

    /// <summary>Packets the kernel dropped (capture ring full).</summary>
    public long KernelDrops { get; }

    /// <summary>Packets not kept in memory (the bound was reached); in the file when there is one.</summary>
    public long BufferDrops { get; }

    /// <summary>Why it stopped early, if a reader failed.</summary>
    public string? Error { get; }

    /// <inheritdoc/>
    public override string ToString() => $"capture {Id}: {Packets} packets, {Bytes} bytes, {Drops} dropped";
}
