using System.Runtime.InteropServices;

namespace NetNs.Core.Interop;

/// <summary>
/// The few functions of libnftables (nftables/libnftables.h, Debian's libnftables1) NetNs calls: a context, buffered
/// output and errors, the JSON output flag, and running one command buffer. Every call must be made on a thread
/// inside the namespace whose ruleset it is meant for (the context's netlink socket is opened there).
/// </summary>
internal static partial class LibNftables
{
    /// <summary>The soname Debian's libnftables1 installs (/usr/lib/&lt;triplet&gt;/libnftables.so.1).</summary>
    public const string Lib = "libnftables.so.1";

    /// <summary>NFT_CTX_DEFAULT.</summary>
    public const uint CtxDefault = 0;

    /// <summary>NFT_CTX_OUTPUT_HANDLE (1 &lt;&lt; 3): listings carry rule handles.</summary>
    public const uint OutputHandle = 1u << 3;

    /// <summary>NFT_CTX_OUTPUT_JSON (1 &lt;&lt; 4): JSON listings; a buffer is then read as JSON first.</summary>
    public const uint OutputJson = 1u << 4;

    [LibraryImport(Lib)]
    public static partial nint nft_ctx_new(uint flags);

    [LibraryImport(Lib)]
    public static partial void nft_ctx_free(nint ctx);

    [LibraryImport(Lib)]
    public static partial int nft_ctx_buffer_output(nint ctx);

    [LibraryImport(Lib)]
    public static partial int nft_ctx_buffer_error(nint ctx);

    [LibraryImport(Lib)]
    public static partial void nft_ctx_output_set_flags(nint ctx, uint flags);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nft_run_cmd_from_buffer(nint ctx, string buf);

    /// <summary>The buffered output (UTF-8, owned by the context).</summary>
    [LibraryImport(Lib)]
    public static partial nint nft_ctx_get_output_buffer(nint ctx);

    /// <summary>The buffered errors (UTF-8, owned by the context).</summary>
    [LibraryImport(Lib)]
    public static partial nint nft_ctx_get_error_buffer(nint ctx);
}
