namespace NetNs.Core;

/// <summary>
/// Which interfaces a capture reads in each namespace, from what the user named (Start-NetNsCapture -InterfaceAlias).
/// </summary>
internal static class CaptureInterfaces
{
    // Which interfaces of each namespace: all (index 0) when none are named; else a plain name in every namespace that
    // has it (LinkNotFound when none has it), "ns:if" in that namespace only. A namespace left with none is an error.
    public static List<(NamespaceRef, NetlinkHandle, Dictionary<int, string>, List<int>)> Resolve(
        List<(NamespaceRef Reference, NetlinkHandle Rtnl, Dictionary<int, string> Names)> handles, IReadOnlyList<string>? interfaces)
    {
        var result = handles.Select(h => (h.Reference, h.Rtnl, h.Names, Indexes: new List<int>())).ToList();
        if (interfaces is not { Count: > 0 })
        {
            foreach (var r in result)
                r.Indexes.Add(0);
            return result;
        }
        foreach (string item in interfaces.Distinct())
        {
            int colon = item.LastIndexOf(':');
            string? nsPart = colon > 0 ? item[..colon] : null;
            string name = Names.CheckInterfaceName(colon > 0 ? item[(colon + 1)..] : item, "start capture");
            var candidates = result.Where(r => nsPart is null || r.Rtnl.NamespaceName == nsPart || r.Reference.ToString() == nsPart).ToList();
            if (nsPart is not null && candidates.Count == 0)
                throw NetNsException.Invalid("start capture", item, $"'{item}' names namespace '{nsPart}', which is not one of those captured in");
            bool found = false;
            foreach (var r in candidates)
            {
                if (r.Names.FirstOrDefault(p => p.Value == name) is { Value: not null } hit)
                {
                    found = true;
                    if (!r.Indexes.Contains(hit.Key))
                        r.Indexes.Add(hit.Key);
                }
            }
            if (!found)
                throw NetNsException.NotFound(ObjectKind.Link, name, candidates.Count == 1 ? candidates[0].Rtnl.NamespaceName : string.Join(", ", candidates.Select(c => c.Rtnl.NamespaceName)));
        }
        if (result.FirstOrDefault(r => r.Indexes.Count == 0) is { Rtnl: not null } empty)
            throw NetNsException.Invalid("start capture", empty.Rtnl.NamespaceName ?? "", $"none of the interfaces {string.Join(", ", interfaces)} is in namespace '{empty.Rtnl.NamespaceName}'");
        return result;
    }
}
