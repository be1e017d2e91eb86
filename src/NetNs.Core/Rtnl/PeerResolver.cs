using System.Collections.Concurrent;
using NetNs.Core.Interop;

namespace NetNs.Core;

public sealed partial class NetlinkHandle
{
    /// <summary>
    /// Names a veth peer that lives in another namespace: the peer's name is asked with IFLA_TARGET_NETNSID, and the
    /// namespace id is matched against the named namespaces (the caller's own is null).
    /// <para>
    /// Matching an id means asking each named namespace for its id here, one round trip per namespace under
    /// /run/netns (6 ms with 200 of them, in every Get-NetNsLink of a veth). So the answers are kept, per namespace
    /// asked from and id, and a kept answer is used only after asking that one namespace again (the kernel frees an id
    /// when its namespace goes, and may give it to another): one round trip instead of one per namespace.
    /// </para>
    /// </summary>
    private sealed class PeerResolver(NetlinkHandle owner)
    {
        private const int MaxKept = 4096;
        private static readonly ConcurrentDictionary<(FileIdentity From, int NsId), string> Known = new();

        private Dictionary<int, string?>? _names;
        private Dictionary<int, string>? _confirmed; // kept answers checked by this resolver (one check per id, not per link)

        public (string? Name, string? Namespace) Peer(int nsid, int index)
        {
            string? name = null;
            try
            {
                name = owner.GetLinkMessage(index, nsid, index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Name;
            }
            catch (NetNsException)
            {
                // not visible (e.g. no CAP_NET_ADMIN there): leave the name unknown
            }
            return (name, NamespaceOf(nsid));
        }

        private FileIdentity? From =>
            owner.Namespace?.Identity ?? (FileIdentity.TryOfPath(NamespaceHandle.CurrentPath, out var id, out _) ? id : null);

        private string? NamespaceOf(int nsid)
        {
            if (_names is not null)
                return _names.GetValueOrDefault(nsid);
            if (_confirmed?.GetValueOrDefault(nsid) is { } confirmed)
                return confirmed;
            var from = From;
            if (from is FileIdentity f && Known.TryGetValue((f, nsid), out var kept) && IdOf(kept) == nsid)
                return (_confirmed ??= [])[nsid] = kept;
            _names = [];
            foreach (string name in NamedNamespaces.ListNames())
            {
                if (IdOf(name) is int id && _names.TryAdd(id, name) && from is FileIdentity self)
                {
                    if (Known.Count >= MaxKept)
                        Known.Clear();
                    Known[(self, id)] = name;
                }
            }
            return _names.GetValueOrDefault(nsid);
        }

        // The id the owner's namespace has for the named one, or null (none, stale file, vanished).
        private int? IdOf(string name)
        {
            try
            {
                using var h = NamespaceHandle.OpenPath(Path.Combine(NamedNamespaces.RunDirectory, name), name);
                return owner.GetNsId(h);
            }
            catch (NetNsException)
            {
                return null;
            }
        }
    }
}
