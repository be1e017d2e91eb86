using System.Text;
using System.Text.Json;

namespace NetNs.Core;

/// <summary>Graph and data formats Export-NetNsLab writes.</summary>
public enum LabExportFormat
{
    /// <summary>A Mermaid flowchart (GitHub, VS Code render it).</summary>
    Mermaid,
    /// <summary>Graphviz DOT.</summary>
    Dot,
    /// <summary>The definition as JSON, which Deploy-NetNsLab takes back.</summary>
    Json,
}

/// <summary>Writes a lab definition as a Mermaid or DOT graph (nodes as boxes, networks as hexagons/ellipses) or as JSON.</summary>
public static class LabExporter
{
    /// <summary>The text of <paramref name="d"/> in <paramref name="format"/>.</summary>
    public static string Export(LabDefinition d, LabExportFormat format)
    {
        ArgumentNullException.ThrowIfNull(d);
        return format switch
        {
            LabExportFormat.Mermaid => Mermaid(d),
            LabExportFormat.Dot => Dot(d),
            LabExportFormat.Json => Json(d),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    private static string Subnets(IEnumerable<IPPrefix> s) => string.Join(" ", s);

    private static string Id(string kind, string name) => kind + "_" + new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    private static string Mermaid(LabDefinition d)
    {
        var sb = new StringBuilder();
        sb.Append("%% lab ").Append(d.Name).Append('\n').Append("graph LR\n");
        foreach (var group in ByHost(d))
        {
            string indent = group.Key is null ? "    " : "        ";
            if (group.Key is { } host)
                sb.Append($"    subgraph {Id("h", host)}[\"host {host}\"]\n");
            foreach (var n in group.Nodes)
                sb.Append($"{indent}{Id("n", n.Name)}[\"{n.Name}{Role(n)}\"]\n");
            foreach (var n in group.Networks)
                sb.Append($"{indent}{Id("w", n.Name)}{{{{\"{n.Name}<br/>{Subnets(n.Subnets)}{Spans(d, n)}\"}}}}\n");
            if (group.Key is not null)
                sb.Append("    end\n");
        }
        foreach (var n in d.Networks)
        {
            foreach (var m in n.Members)
                sb.Append($"    {Id("n", m.Node)} ---|\"{n.Interface}{(m.Node == n.Gateway ? " gw" : "")}{(m.Impairment is { } i ? "<br/>" + i : "")}\"| {Id("w", n.Name)}\n");
        }
        foreach (var l in d.Links)
            sb.Append($"    {Id("n", l.A.Node)} ---|\"{l.A.Interface} – {l.B.Interface}{(l.Subnets.Count > 0 ? "<br/>" + Subnets(l.Subnets) : "")}{(l.Impairment is { } i ? "<br/>" + i : "")}\"| {Id("n", l.B.Node)}\n");
        return sb.ToString();
    }

    // A DOT string: backslashes and quotes escaped, a line break as DOT's \n.
    private static string Q(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";

    private static string Dot(LabDefinition d)
    {
        var sb = new StringBuilder();
        sb.Append($"graph {Q(d.Name)} {{\n    node [fontname=\"sans-serif\"];\n");
        foreach (var group in ByHost(d))
        {
            string indent = group.Key is null ? "    " : "        ";
            if (group.Key is { } host)
                sb.Append($"    subgraph {Q("cluster_" + host)} {{\n        label={Q("host " + host)};\n");
            foreach (var n in group.Nodes)
                sb.Append($"{indent}{Q("n:" + n.Name)} [shape=box, label={Q(n.Name + Role(n))}];\n");
            foreach (var n in group.Networks)
                sb.Append($"{indent}{Q("w:" + n.Name)} [shape=ellipse, label={Q(n.Name + "\n" + Subnets(n.Subnets) + Spans(d, n).Replace("<br/>", "\n"))}];\n");
            if (group.Key is not null)
                sb.Append("    }\n");
        }
        foreach (var n in d.Networks)
        {
            foreach (var m in n.Members)
                sb.Append($"    {Q("n:" + m.Node)} -- {Q("w:" + n.Name)} [label={Q(n.Interface + (m.Node == n.Gateway ? " gw" : "") + (m.Impairment is { } i ? "\n" + i : ""))}];\n");
        }
        foreach (var l in d.Links)
            sb.Append($"    {Q("n:" + l.A.Node)} -- {Q("n:" + l.B.Node)} [label={Q($"{l.A.Interface} – {l.B.Interface}" + (l.Subnets.Count > 0 ? "\n" + Subnets(l.Subnets) : "") + (l.Impairment is { } i ? "\n" + i : ""))}];\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    // Nodes by host (those without one first, outside any group); a network goes with its gateway's host, or its first
    // member's (where its bridge is when it spans hosts).
    private static IEnumerable<(string? Key, List<LabNodeDefinition> Nodes, List<LabNetworkDefinition> Networks)> ByHost(LabDefinition d)
    {
        string? HomeOf(LabNetworkDefinition n) =>
            d.Node(n.Gateway ?? n.Members.FirstOrDefault()?.Node ?? "")?.Host;
        var keys = d.Nodes.Select(n => n.Host).Concat(d.Networks.Select(HomeOf)).Distinct()
            .OrderBy(h => h is null ? "" : "\u0001" + h, StringComparer.Ordinal);
        foreach (string? h in keys)
            yield return (h, d.Nodes.Where(n => n.Host == h).ToList(), d.Networks.Where(n => HomeOf(n) == h).ToList());
    }

    // "<br/>vxlan to b, c" for a network whose members are on several hosts.
    private static string Spans(LabDefinition d, LabNetworkDefinition n)
    {
        var hosts = n.Members.Select(m => d.Node(m.Node)?.Host).Distinct().ToList();
        if (hosts.Count < 2)
            return n.Vxlan is { } v ? $"<br/>vxlan {v.Id} to {string.Join(", ", v.Remotes)}" : "";
        string? home = d.Node(n.Gateway ?? n.Members[0].Node)?.Host;
        return "<br/>vxlan to " + string.Join(", ", hosts.Where(h => h != home).Select(h => h ?? "local"));
    }

    private static string Role(LabNodeDefinition n) =>
        n.Container is not null ? $" (container {n.Container})" : n.Forwarding ? " (router)" : "";

    private static string Json(LabDefinition d)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("Name", d.Name);
            w.WriteStartObject("Nodes");
            foreach (var n in d.Nodes)
            {
                w.WriteStartObject(n.Name);
                if (n.Container is not null)
                    w.WriteString("Container", n.Container);
                if (n.Host is not null)
                    w.WriteString("Host", n.Host);
                if (n.Forwarding)
                    w.WriteBoolean("Forwarding", true);
                if (n.Sysctls.Count > 0)
                {
                    w.WriteStartObject("Sysctls");
                    foreach (var (k, v) in n.Sysctls)
                        w.WriteString(k, v);
                    w.WriteEndObject();
                }
                if (n.Routes.Count > 0)
                {
                    w.WriteStartObject("Routes");
                    foreach (var r in n.Routes)
                        w.WriteString(r.Destination.ToString(), r.Via.ToString());
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
            if (d.Networks.Count > 0)
            {
                w.WriteStartObject("Networks");
                foreach (var n in d.Networks)
                {
                    w.WriteStartObject(n.Name);
                    WriteStrings(w, "Subnet", n.Subnets.Select(s => s.ToString()));
                    w.WriteStartArray("Members");
                    foreach (var m in n.Members)
                    {
                        if (m.Impairment is null)
                        {
                            w.WriteStringValue(m.Pinned.Count == 0 ? m.Node : m.Node + "=" + string.Join(",", m.Pinned));
                            continue;
                        }
                        w.WriteStartObject();
                        w.WriteString("Node", m.Node);
                        if (m.Pinned.Count > 0)
                            WriteStrings(w, "Address", m.Pinned.Select(a => a.ToString()));
                        WriteImpairment(w, m.Impairment);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    if (n.Gateway is not null)
                        w.WriteString("Gateway", n.Gateway);
                    if (n.Mtu is int mtu)
                        w.WriteNumber("Mtu", mtu);
                    if (n.Interface != n.Name)
                        w.WriteString("Interface", n.Interface);
                    if (n.Vxlan is { } vx)
                    {
                        w.WriteStartObject("Vxlan");
                        w.WriteNumber("Id", vx.Id);
                        w.WriteString("Local", vx.Local.ToString());
                        WriteStrings(w, "Remotes", vx.Remotes.Select(r => r.ToString()), always: true);
                        w.WriteNumber("Port", vx.Port);
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            if (d.Links.Count > 0)
            {
                w.WriteStartArray("Links");
                foreach (var l in d.Links)
                {
                    w.WriteStartObject();
                    WriteStrings(w, "Endpoints", [l.A.ToString(), l.B.ToString()], always: true);
                    if (l.Subnets.Count > 0)
                        WriteStrings(w, "Subnet", l.Subnets.Select(s => s.ToString()));
                    if (l.Mtu is int mtu)
                        w.WriteNumber("Mtu", mtu);
                    if (l.Impairment is { } imp)
                        WriteImpairment(w, imp);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            LabHostsJson.Write(w, d);
            if (d.Nat.Count > 0)
            {
                w.WriteStartObject("Nat");
                foreach (var n in d.Nat)
                    w.WriteString(n.Node, n.Interface);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteImpairment(Utf8JsonWriter w, LinkImpairmentSpec spec)
    {
        foreach (var (k, v) in LabImpairments.Entries(spec))
        {
            if (v is string sv)
                w.WriteString(k, sv);
            else
                w.WriteNumber(k, Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values, bool always = false)
    {
        var list = values.ToList();
        if (list.Count == 1 && !always)
        {
            w.WriteString(name, list[0]);
            return;
        }
        w.WriteStartArray(name);
        foreach (string v in list)
            w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
