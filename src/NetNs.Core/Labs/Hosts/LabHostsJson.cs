using System.Text.Json;

namespace NetNs.Core;

/// <summary>The Hosts and Vxlan keys of a definition in its JSON export (Export-NetNsLab -Format Json).</summary>
internal static class LabHostsJson
{
    public static void Write(Utf8JsonWriter w, LabDefinition d)
    {
        if (d.Hosts.Count > 0)
        {
            w.WriteStartObject("Hosts");
            foreach (var h in d.Hosts)
            {
                w.WriteStartObject(h.Name);
                w.WriteString("HostName", h.HostName);
                if (h.UserName is not null)
                    w.WriteString("UserName", h.UserName);
                if (h.KeyFilePath is not null)
                    w.WriteString("KeyFilePath", h.KeyFilePath);
                if (h.Port is int port)
                    w.WriteNumber("Port", port);
                if (h.Address is not null)
                    w.WriteString("Address", h.Address.ToString());
                if (h.Options.Count > 0)
                {
                    w.WriteStartObject("Options");
                    foreach (var (k, v) in h.Options)
                        w.WriteString(k, v);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        if (d.VxlanPort is not null || d.VxlanAddress is not null)
        {
            w.WriteStartObject("Vxlan");
            if (d.VxlanPort is int vxlanPort)
                w.WriteNumber("Port", vxlanPort);
            if (d.VxlanAddress is { } address)
                w.WriteString("Address", address.ToString());
            w.WriteEndObject();
        }
    }
}
