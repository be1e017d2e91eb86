using System.Runtime.InteropServices;

namespace NetNs.Core;

/// <summary>
/// The few functions of libpcap (pcap/pcap.h, Debian's libpcap0.8) NetNs calls to turn tcpdump's filter language into
/// classic BPF: a "dead" handle for a link type, pcap_compile, and the compiled program. Nothing is captured through
/// libpcap: the program is attached to NetNs's own AF_PACKET socket.
/// </summary>
internal static unsafe partial class LibPcap
{
    /// <summary>The soname Debian's libpcap0.8 installs (/usr/lib/&lt;triplet&gt;/libpcap.so.0.8).</summary>
    public const string Lib = "libpcap.so.0.8";

    /// <summary>The Debian package that has it.</summary>
    public const string Package = "libpcap0.8";

    /// <summary>DLT_EN10MB: Ethernet (also what the kernel gives on lo and veth).</summary>
    public const int DLT_EN10MB = 1;

    /// <summary>PCAP_NETMASK_UNKNOWN: "ip broadcast" is then refused, as tcpdump does without an address.</summary>
    public const uint NetmaskUnknown = 0xffffffff;

    /// <summary>struct bpf_program.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct BpfProgram
    {
        public uint Length;
        public void* Instructions;
    }

    [LibraryImport(Lib)]
    public static partial nint pcap_open_dead(int linktype, int snaplen);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int pcap_compile(nint p, BpfProgram* fp, string str, int optimize, uint netmask);

    [LibraryImport(Lib)]
    public static partial nint pcap_geterr(nint p);

    [LibraryImport(Lib)]
    public static partial void pcap_freecode(BpfProgram* fp);

    [LibraryImport(Lib)]
    public static partial void pcap_close(nint p);
}
