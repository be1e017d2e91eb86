using System.Runtime.InteropServices;
using NetNs.Core.Interop;

namespace NetNs.Core;

/// <summary>
/// Runs one nftables command buffer through libnftables, in-process, on NetNs's worker thread inside the target
/// namespace (never a child process): a context is made, the buffer run, the output or error read, and the context
/// freed, all on that thread, so the context's netlink socket belongs to the target's ruleset.
/// </summary>
internal static class NftSession
{
    private static readonly object Gate = new();
    private static bool s_loaded;

    /// <summary>The package that brings the library, named in the error when it is missing.</summary>
    public const string Package = "libnftables1";

    /// <summary>
    /// Checks that <paramref name="library"/> (libnftables.so.1 unless a test names another) can be loaded; one
    /// NftablesNotInstalled error naming the package when it cannot.
    /// </summary>
    public static void EnsureLibrary(string library = LibNftables.Lib)
    {
        lock (Gate)
        {
            if (s_loaded && library == LibNftables.Lib)
                return;
            if (!NativeLibrary.TryLoad(library, typeof(NftSession).Assembly, null, out nint handle))
                throw new NetNsException(NetNsErrorReason.NftablesNotInstalled, "load libnftables",
                    $"NAT and forwarding rules need libnftables ({library}), which is not installed: install the package "
                    + $"'{Package}' (Debian/Ubuntu: apt-get install {Package}, or the 'nftables' package that depends on it; "
                    + "Fedora/Arch: nftables)", library);
            if (library == LibNftables.Lib)
                s_loaded = true; // the LibraryImport calls find the same soname; keep the handle loaded
            else
                NativeLibrary.Free(handle);
        }
    }

    /// <summary>
    /// Runs <paramref name="commands"/> (nftables JSON, built by <see cref="NftJson"/>) inside <paramref name="ns"/>
    /// (null: the calling thread's namespace) and returns the JSON output (empty when the command prints nothing).
    /// </summary>
    public static string Run(NamespaceHandle? ns, string commands, string operation, string? target, uint extraFlags = 0)
    {
        EnsureLibrary();
        return ns is null ? RunHere(commands, operation, target, extraFlags)
                          : NamespaceWorker.Run(ns, () => RunHere(commands, operation, target, extraFlags));
    }

    private static string RunHere(string commands, string operation, string? target, uint extraFlags)
    {
        nint ctx = LibNftables.nft_ctx_new(LibNftables.CtxDefault);
        if (ctx == 0)
            throw new NetNsException(NetNsErrorReason.OperationFailed, operation, "libnftables could not create a context", target);
        try
        {
            LibNftables.nft_ctx_output_set_flags(ctx, LibNftables.OutputJson | LibNftables.OutputHandle | extraFlags);
            if (LibNftables.nft_ctx_buffer_output(ctx) != 0 || LibNftables.nft_ctx_buffer_error(ctx) != 0)
                throw new NetNsException(NetNsErrorReason.OperationFailed, operation, "libnftables could not buffer its output", target);
            int rc = LibNftables.nft_run_cmd_from_buffer(ctx, commands);
            string output = Marshal.PtrToStringUTF8(LibNftables.nft_ctx_get_output_buffer(ctx)) ?? "";
            if (rc != 0)
            {
                string error = (Marshal.PtrToStringUTF8(LibNftables.nft_ctx_get_error_buffer(ctx)) ?? "").Trim();
                var reason = error.Contains("Operation not permitted", StringComparison.Ordinal)
                    ? NetNsErrorReason.PermissionDenied : NetNsErrorReason.OperationFailed;
                string first = error.Split('\n', 2)[0];
                throw new NetNsException(reason, operation,
                    $"cannot {operation}{(target is null ? "" : $" '{target}'")}: nftables refused it ({first})", target,
                    kernelMessage: error);
            }
            return output;
        }
        finally
        {
            LibNftables.nft_ctx_free(ctx);
        }
    }
}
