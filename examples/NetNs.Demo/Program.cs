// The demo lab from plain C#: three hosts behind a bridge that lives in a namespace of its own,
// with addresses and default routes; every host pings every other and the bridge; then it is torn down.
// Run as root: dotnet run --project examples/NetNs.Demo
using System.Net;
using NetNs.Core;

string prefix = "lab-" + Guid.NewGuid().ToString("N")[..4] + "-";
string bridgeNs = prefix + "br";
string[] hosts = ["a", "b", "c"];
var created = new List<string>();

if (Privileges.Missing() is { Count: > 0 } missing)
{
    Console.Error.WriteLine($"the demo needs root (missing {string.Join(", ", missing)})");
    return 1;
}

try
{
    created.Add(NamedNamespaces.Create(bridgeNs).Name!);
    using var brHandle = NamespaceHandle.OpenName(bridgeNs);
    using var br = NetlinkHandle.Open(brHandle);
    br.SetLinkState("lo", true);
    br.CreateLink(new LinkSpec { Name = "br0", Kind = LinkKind.Bridge, Up = true });
    br.ReplaceAddress("br0", IPPrefix.Parse("198.18.0.1/24"));

    for (int i = 0; i < hosts.Length; i++)
    {
        string ns = prefix + hosts[i];
        created.Add(NamedNamespaces.Create(ns).Name!);
        using var nsHandle = NamespaceHandle.OpenName(ns);
        br.CreateVeth(new VethSpec { Name = "v-" + hosts[i], PeerName = "eth0", PeerNamespace = nsHandle, Up = true });
        br.AddBridgePort("br0", "v-" + hosts[i]);
        using var host = NetlinkHandle.Open(nsHandle);
        host.SetLinkState("lo", true);
        host.ReplaceAddress("eth0", IPPrefix.Parse($"198.18.0.{11 + i}/24"));
        host.ReplaceRoute(new RouteSpec { Destination = IPPrefix.Parse("default"), Gateway = System.Net.IPAddress.Parse("198.18.0.1") });
    }

    Console.WriteLine($"{"Namespace",-14} {"Link",-8} {"Kind",-9} {"State",-5} Address");
    foreach (string ns in created)
    {
        using var h = NetlinkHandle.Open(NamespaceRef.FromName(ns));
        var addresses = h.GetAddresses(family: IPAddressFamily.IPv4).ToLookup(a => a.InterfaceAlias);
        foreach (var link in h.GetLinks().Where(l => l.Kind != "loopback"))
            Console.WriteLine($"{ns,-14} {link.Name,-8} {link.Kind,-9} {link.State,-5} {string.Join(", ", addresses[link.Name])}");
    }

    Console.WriteLine();
    int failures = 0;
    string[] targets = ["198.18.0.1", "198.18.0.11", "198.18.0.12", "198.18.0.13"];
    foreach (string from in hosts.Select(h => prefix + h))
    {
        // In-process ICMP (no ping binary): the probe's socket is created inside the namespace.
        using var h = NetlinkHandle.Open(NamespaceRef.FromName(from));
        var results = targets.Select(t => ConnectionProbe.Test(h, IPAddress.Parse(t), new ConnectionProbeOptions { Count = 2 })).ToList();
        Console.WriteLine($"{from,-14} " + string.Join("  ", results.Select(r => $"{r.RemoteAddress} {(r.Success ? "ok" : r.Status)}")));
        failures += results.Count(r => !r.Success);
    }
    Console.WriteLine(failures == 0 ? "\nall pings answered" : $"\n{failures} pings failed");
    return failures == 0 ? 0 : 1;
}
catch (NetNsException e)
{
    Console.Error.WriteLine($"{e.Reason}: {e.Message}");
    return 1;
}
finally
{
    foreach (string ns in created)
    {
        try
        {
            NamedNamespaces.Delete(ns);
        }
        catch (NetNsException e)
        {
            Console.Error.WriteLine($"cleanup: {e.Message}");
        }
    }
}
