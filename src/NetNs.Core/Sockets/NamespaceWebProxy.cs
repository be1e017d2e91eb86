using System.Net;
using System.Net.Http;

namespace NetNs.Core;

/// <summary>
/// The process's default web proxy (HttpClient.DefaultProxy, which WebClient and HttpWebRequest also use), wrapping
/// the one that was there: while an <see cref="AmbientNamespace"/> is set — the work of a script block of
/// Invoke-InNetNamespace, on whatever thread — every request goes through the <see cref="SocksBridge"/> into that
/// namespace, so `[System.Net.Http.HttpClient]::new()` or `[System.Net.WebClient]` inside the block reach the
/// namespace's servers, not the caller's. Otherwise it is the wrapped proxy, unchanged. A client made with its own
/// proxy, or with UseProxy off, is not covered (see about_NetNs).
/// </summary>
public sealed class NamespaceWebProxy : IWebProxy
{
    private static readonly object Gate = new();
    private static NamespaceWebProxy? s_installed;
    private readonly IWebProxy _inner;

    private NamespaceWebProxy(IWebProxy inner)
    {
        _inner = inner;
        Credentials = new BridgeCredentials(this);
    }

    /// <summary>
    /// Makes it the process's default proxy, once (the clients made before keep theirs), and starts the
    /// <see cref="EscapeWatch"/> that reports the work of an ambient namespace connecting from outside it.
    /// </summary>
    public static void Install()
    {
        EscapeWatch.Start();
        lock (Gate)
        {
            if (s_installed is not null && ReferenceEquals(HttpClient.DefaultProxy, s_installed))
                return;
            s_installed = new NamespaceWebProxy(HttpClient.DefaultProxy);
            HttpClient.DefaultProxy = s_installed;
        }
    }

    /// <summary>The bridge's credential for our proxy URIs, the wrapped proxy's otherwise.</summary>
    public ICredentials? Credentials { get; set; }

    /// <inheritdoc/>
    public Uri? GetProxy(Uri destination)
    {
        if (AmbientNamespace.Current is not { } ns)
            return _inner.GetProxy(destination);
        try
        {
            return SocksBridge.For(ns).ProxyUri;
        }
        catch (ObjectDisposedException)
        {
            // Work that outlived its block (and the block's namespace host): it must not fall back to a direct
            // connection from the caller's namespace. A proxy that is not there makes the request fail instead.
            return NowhereProxy;
        }
    }

    // socks5 to port 0 of loopback: connecting fails at once, nothing is sent.
    private static readonly Uri NowhereProxy = new("socks5://127.0.0.1:0");

    /// <inheritdoc/>
    public bool IsBypassed(Uri host) => AmbientNamespace.Current is null && _inner.IsBypassed(host);

    private sealed class BridgeCredentials(NamespaceWebProxy owner) : ICredentials
    {
        public NetworkCredential? GetCredential(Uri uri, string authType) =>
            SocksBridge.CredentialFor(uri) ?? owner._inner.Credentials?.GetCredential(uri, authType);
    }
}
