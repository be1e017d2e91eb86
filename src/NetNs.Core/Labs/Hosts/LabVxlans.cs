using System.Globalization;
using System.Net;

namespace NetNs.Core;

/// <summary>
/// A network's VXLAN port, as the lab makes it: device <see cref="Name"/> on bridge <see cref="Bridge"/> in the
/// network's namespace, its socket in the host's own namespace (where the lab is deployed); <see cref="Remotes"/>
/// comma-separated. <see cref="Mtu"/> null: not set, or not known.
/// </summary>
public sealed record LabVxlanSpec(string Namespace, string Name, string Bridge, int Id, string Local, string Remotes, int Port, int? Mtu)
{
    /// <summary>Whether <paramref name="other"/> is the same device (all but the MTU alike).</summary>
    public bool SameDevice(LabVxlanSpec other) =>
        other is not null && (Namespace, Name, Bridge, Id, Local, Remotes, Port) == (other.Namespace, other.Name, other.Bridge, other.Id, other.Local, other.Remotes, other.Port);

    /// <summary>The spec of a network's Vxlan key.</summary>
    public static LabVxlanSpec Of(string ns, LabNetworkDefinition n, LabVxlanDefinition v) =>
        new(ns, v.DeviceName, n.Name, v.Id, v.Local.ToString(), string.Join(",", v.Remotes), v.Port, n.Mtu);

    /// <summary>Its tag: "netns-lab LAB vxlan NETWORK VNI LOCAL PORT REMOTE[,REMOTE…]".</summary>
    public string Tag(string lab, LabModel m) =>
        string.Create(CultureInfo.InvariantCulture, $"{LabTags.Prefix} {lab} vxlan {m.MemberOf(Namespace)} {Id} {Local} {Port} {Remotes}");

    /// <summary>The spec a tag's words after the lab name stand for (link <paramref name="name"/> on <paramref name="bridge"/>), or null.</summary>
    public static LabVxlanSpec? FromTag(string ns, string name, string? bridge, int mtu, string[] words) =>
        words is ["vxlan", _, var id, var local, var port, var remotes]
            && int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int vni)
            && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p)
            ? new LabVxlanSpec(ns, name, bridge ?? "", vni, local, remotes, p, mtu)
            : null;
}

/// <summary>
/// The changes to a lab's VXLAN ports, after the planner's: a port whose namespace is made (again) is added; one
/// whose settings changed is removed and added; one the definition lost goes (unless its namespace goes anyway); an
/// MTU that differs is set. Equivalent to: `ip link add … type vxlan …` / `ip link del` / `ip link set mtu`.
/// </summary>
public static class LabVxlanPlanner
{
    /// <summary>The changes for <paramref name="desired"/>'s VXLAN ports over <paramref name="actual"/>'s, given the rest of the plan.</summary>
    public static List<LabChange> Plan(LabModel desired, LabModel actual, IReadOnlyList<LabChange> planned)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(planned);
        var made = planned.Where(c => c is { Kind: LabObjectKind.Namespace, Action: LabChangeAction.Add }).Select(c => c.Namespace).ToHashSet(StringComparer.Ordinal);
        var gone = planned.Where(c => c is { Kind: LabObjectKind.Namespace, Action: LabChangeAction.Remove }).Select(c => c.Namespace).ToHashSet(StringComparer.Ordinal);
        var bridgesMade = planned.Where(c => c is { Kind: LabObjectKind.Bridge, Action: LabChangeAction.Add }).Select(c => (c.Namespace, c.Target)).ToHashSet();
        LabChange C(LabChangeAction a, LabVxlanSpec v, string detail) =>
            new() { Lab = desired.Name, Action = a, Kind = LabObjectKind.Vxlan, Namespace = v.Namespace, Target = v.Name, Detail = detail, Spec = v };
        string Describe(LabVxlanSpec v) => $"vni {v.Id} local {v.Local} dstport {v.Port} remote {v.Remotes}";
        var plan = new List<LabChange>();
        var kept = new HashSet<LabVxlanSpec>();
        foreach (var have in actual.Vxlans)
        {
            var want = desired.Vxlans.FirstOrDefault(d => d.SameDevice(have));
            if (want is not null && !made.Contains(have.Namespace) && !bridgesMade.Contains((have.Namespace, have.Bridge)))
            {
                kept.Add(want);
                if (want.Mtu is int mtu && have.Mtu != mtu)
                    plan.Add(C(LabChangeAction.Set, want, "mtu " + mtu));
            }
            else if (!gone.Contains(have.Namespace) && !made.Contains(have.Namespace))
                plan.Add(C(LabChangeAction.Remove, have, Describe(have)));
        }
        foreach (var want in desired.Vxlans.Where(v => !kept.Contains(v)))
            plan.Add(C(LabChangeAction.Add, want, Describe(want)));
        return plan;
    }
}
