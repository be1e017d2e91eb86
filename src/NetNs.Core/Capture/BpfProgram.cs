using System.Runtime.InteropServices;

namespace NetNs.Core;

/// <summary>
/// A classic BPF program (struct sock_filter[], 8 bytes each: code u16, jt u8, jf u8, k u32) for SO_ATTACH_FILTER,
/// compiled from tcpdump's filter language by libpcap's pcap_compile — the same program `tcpdump -d FILTER` prints.
/// Its return value is the number of bytes to keep, so the snap length is enforced by the kernel too. An empty filter
/// needs no libpcap: it is the one instruction `ret #snaplen`.
/// </summary>
public sealed class BpfProgram
{
    private static readonly object CompileGate = new(); // pcap_compile was not reentrant before libpcap 1.8

    private BpfProgram(string filter, byte[] instructions)
    {
        Filter = filter;
        Instructions = instructions;
    }

    /// <summary>The filter text it was compiled from ("" for everything).</summary>
    public string Filter { get; }

    /// <summary>The instructions, as the kernel takes them.</summary>
    internal byte[] Instructions { get; }

    /// <summary>How many instructions.</summary>
    public int Count => Instructions.Length / 8;

    /// <summary>
    /// Compiles <paramref name="filter"/> (tcpdump's language, pcap-filter(7)) for Ethernet frames of at most
    /// <paramref name="snapLength"/> bytes. InvalidFilter with libpcap's message for a bad filter;
    /// LibpcapNotInstalled (naming Debian's libpcap0.8) when a filter is given and libpcap is not there.
    /// Equivalent to `tcpdump -d -s SNAPLEN FILTER`.
    /// </summary>
    public static BpfProgram Compile(string? filter, int snapLength) => Compile(filter, snapLength, LibPcap.Lib);

    /// <summary><see cref="Compile(string?, int)"/> with the library looked for under <paramref name="library"/> (tests name a missing one).</summary>
    internal static unsafe BpfProgram Compile(string? filter, int snapLength, string library)
    {
        if (snapLength <= 0)
            throw NetNsException.Invalid("compile filter", snapLength.ToString(System.Globalization.CultureInfo.InvariantCulture), "the snap length must be positive");
        filter = filter?.Trim() ?? "";
        if (filter.Length == 0)
            return AcceptAll(snapLength);
        if (filter.Contains('\0'))
            throw new NetNsException(NetNsErrorReason.InvalidFilter, "compile filter", "the filter contains a NUL character", filter);
        EnsureLibrary(library, filter);
        lock (CompileGate)
        {
            nint pcap;
            try
            {
                pcap = LibPcap.pcap_open_dead(LibPcap.DLT_EN10MB, snapLength);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                throw NotInstalled(filter, e);
            }
            if (pcap == 0)
                throw new NetNsException(NetNsErrorReason.OperationFailed, "compile filter", "pcap_open_dead failed (out of memory?)", filter);
            try
            {
                LibPcap.BpfProgram program = default;
                if (LibPcap.pcap_compile(pcap, &program, filter, 1, LibPcap.NetmaskUnknown) != 0)
                {
                    string why = Marshal.PtrToStringUTF8(LibPcap.pcap_geterr(pcap)) ?? "syntax error";
                    throw new NetNsException(NetNsErrorReason.InvalidFilter, "compile filter",
                        $"the capture filter '{filter}' is not valid: {why}", filter);
                }
                try
                {
                    var bytes = new byte[checked((int)program.Length * 8)];
                    new ReadOnlySpan<byte>(program.Instructions, bytes.Length).CopyTo(bytes);
                    return new BpfProgram(filter, bytes);
                }
                finally
                {
                    LibPcap.pcap_freecode(&program);
                }
            }
            finally
            {
                LibPcap.pcap_close(pcap);
            }
        }
    }

    /// <summary>`ret #snaplen`: every packet, cut to the snap length.</summary>
    private static BpfProgram AcceptAll(int snapLength)
    {
        var bytes = new byte[8];
        bytes[0] = 0x06; // BPF_RET | BPF_K
        BitConverter.TryWriteBytes(bytes.AsSpan(4), (uint)snapLength);
        return new BpfProgram("", bytes);
    }

    private static void EnsureLibrary(string library, string filter)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
            throw NotInstalled(filter, null);
        NativeLibrary.Free(handle);
    }

    private static NetNsException NotInstalled(string filter, Exception? inner) =>
        new(NetNsErrorReason.LibpcapNotInstalled, "compile filter",
            $"a capture filter needs libpcap ({LibPcap.Lib}), which is not installed: install Debian's {LibPcap.Package} package "
            + $"(apt-get install {LibPcap.Package}), or capture without -Filter", filter, inner: inner);
}
