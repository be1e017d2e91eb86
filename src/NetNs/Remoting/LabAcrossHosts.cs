using System.Collections.ObjectModel;
using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Remoting;

/// <summary>
/// Deploy-, Remove- and Test-NetNsLab on a lab across hosts: the lab is split into one plain lab per host
/// (<see cref="LabHostSplitter"/>) and each host's part is run there by the same local engine, over a PowerShell
/// remoting session (SSH) whose NetNs is the caller's version; the part of the nodes without a Host runs here.
/// </summary>
internal static class LabAcrossHosts
{
    private const string PlanScript = "param($d) [NetNs.Core.LabDeployment]::Plan([NetNs.Core.LabDefinitionReader]::Read([NetNs.Core.DefinitionValue]::FromJson($d))).Changes";
    private const string DeployScript = "param($d) Deploy-NetNsLab -Definition $d -PassThru -Confirm:$false -ErrorAction Stop";
    private const string RemoveScript = "param($lab) $n = @([NetNs.Core.LabDeployment]::RemovalTargets([NetNs.Core.RunningLabReader]::Read($lab, 'Namespaces'))).Count; if ($n) { Remove-NetNsLab -Name $lab -Confirm:$false -ErrorAction Stop }; $n";
    private const string GetScript = "param($lab) if ([NetNs.Core.RunningLabReader]::HasNamespaces($lab)) { Get-NetNsLab -Name $lab -ErrorAction Stop }";
    private const string TestScript = "param($d, $from, $count, $timeout) Test-NetNsLab -Definition $d -From $from -Count $count -TimeoutSeconds $timeout -ErrorAction Stop";

    /// <summary>The NetNs version every host must run: this module's.</summary>
    public static string LocalVersion(PSCmdlet cmdlet) =>
        cmdlet.MyInvocation.MyCommand.Module?.Version.ToString() ?? typeof(LabAcrossHosts).Assembly.GetName().Version!.ToString();

    private static string Json(LabHostPart p) => LabExporter.Export(p.Definition, LabExportFormat.Json);

    /// <summary>
    /// Plans on every host (an unreachable host, or one with another NetNs, fails it before anything changes), asks
    /// once (-WhatIf lists every change with its host), then deploys every host's part in parallel.
    /// </summary>
    public static void Deploy(NetNsCmdlet cmdlet, LabDefinition d, bool passThru, bool installModule)
    {
        if (Deploy(cmdlet, d, passThru, installModule, ask: true) is { } lab)
            cmdlet.WriteObject(lab);
    }

    /// <summary>As the other overload; returns the lab (null when -WhatIf or -Confirm said no) instead of writing it.</summary>
    public static LabInfo? Deploy(NetNsCmdlet cmdlet, LabDefinition d, bool passThru, bool installModule, bool ask)
    {
        var parts = LabHostSplitter.Split(d);
        var remote = parts.Where(p => p.Host is not null).ToList();
        var local = parts.FirstOrDefault(p => p.Host is null);
        string? installFrom = installModule
            ? cmdlet.MyInvocation.MyCommand.Module?.ModuleBase ?? throw NetNsException.Invalid("deploy lab", "InstallModule", "-InstallModule copies the NetNs module this cmdlet was loaded from, and it was not loaded as a module (Import-Module NetNs)")
            : null;
        using var sessions = LabHostSessions.Open(remote.Select(p => p.Host!).ToList(), LocalVersion(cmdlet), null, installFrom);
        var planning = remote.Select(p => (Part: p, Run: sessions.Begin(p.HostName, PlanScript, Json(p)))).ToList();
        LabPlan? localPlan = null;
        if (local is not null)
        {
            cmdlet.EnsurePrivileges();
            localPlan = LabDeployment.Plan(local.Definition, cmdlet.StopToken);
        }
        var changes = new List<LabChange>(localPlan?.Changes ?? []);
        foreach (var (part, run) in planning)
            changes.AddRange(sessions.End(part.HostName, run, "plan lab").Select(o => FromRemote(o, part.HostName)));
        string hosts = string.Join(", ", parts.Select(p => p.HostName));
        string action = changes.Count == 0 ? $"Deploy lab on {hosts} (no change)" : $"Deploy lab on {hosts} ({changes.Count} changes)";
        if (ask && !cmdlet.ShouldChange(d.Name, action, out ShouldProcessReason reason))
        {
            if (reason == ShouldProcessReason.WhatIf)
                cmdlet.WriteObject(changes, enumerateCollection: true);
            return null;
        }
        // Every host at once: the remote parts run while this machine's runs here.
        var deploying = remote.Where(p => changes.Any(c => c.Host == p.HostName)).Select(p => (Part: p, Run: sessions.Begin(p.HostName, DeployScript, Json(p)))).ToList();
        var errors = new List<NetNsException>();
        var made = new List<LabChange>();
        if (localPlan is not null)
        {
            try
            {
                LabDeployment.Apply(localPlan);
                made.AddRange(localPlan.Changes);
            }
            catch (NetNsException e)
            {
                errors.Add(e);
            }
        }
        foreach (var (part, run) in deploying)
        {
            try
            {
                made.AddRange(sessions.End(part.HostName, run, "deploy lab").Where(IsChange).Select(o => FromRemote(o, part.HostName)));
            }
            catch (NetNsException e)
            {
                errors.Add(e);
            }
        }
        foreach (var c in made)
            cmdlet.WriteVerbose(c.ToString());
        if (errors.Count > 0)
        {
            // Each failed host rolled its own part back; the hosts that succeeded keep theirs (Remove-NetNsLab -Path removes all).
            foreach (var e in errors.Skip(1))
                cmdlet.WriteError(ErrorMapping.ToErrorRecord(e, e.Target));
            throw errors[0];
        }
        if (passThru)
            cmdlet.WriteObject(made, enumerateCollection: true);
        return LabInfo.FromModel(LabResolver.Resolve(LabHostSplitter.Flatten(d)));
    }

    /// <summary>
    /// Removes the lab on every host of the definition (by its tags there, also a half-made part) and here when it
    /// has local nodes; a host that cannot be reached is an error naming it, the others are removed all the same.
    /// </summary>
    public static void Remove(NetNsCmdlet cmdlet, LabDefinition d, Func<bool> removeLocal, bool ask = true)
    {
        string hosts = string.Join(", ", d.Hosts.Select(h => h.Name));
        if (ask && !cmdlet.ShouldChange(d.Name, $"Remove lab on {hosts}{(d.Nodes.Any(n => n.Host is null) ? " and here" : "")}"))
            return;
        var failed = new List<NetNsException>();
        using var sessions = LabHostSessions.Open(d.Hosts, LocalVersion(cmdlet), failed);
        var removing = sessions.Hosts.Select(h => (Host: h, Run: sessions.Begin(h, RemoveScript, d.Name))).ToList();
        bool any = false;
        if (d.Nodes.Any(n => n.Host is null) || RunningLabReader.HasNamespaces(d.Name))
            any |= removeLocal();
        foreach (var (h, run) in removing)
        {
            try
            {
                any |= sessions.End(h, run, "remove lab").Any(o => o?.BaseObject is int n && n > 0);
            }
            catch (NetNsException e)
            {
                failed.Add(e);
            }
        }
        foreach (var e in failed)
            cmdlet.WriteError(ErrorMapping.ToErrorRecord(e, e.Target));
        if (!any && failed.Count == 0)
            throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "remove lab", $"no lab '{d.Name}' is running on {hosts}", d.Name);
    }

    /// <summary>
    /// The reachability matrix of the whole lab: each host probes from its own nodes, to every address of the lab
    /// (the expectations come from the whole definition); the results of all hosts together.
    /// </summary>
    public static List<PSObject> Test(NetNsCmdlet cmdlet, LabDefinition d, int count, double timeoutSeconds)
    {
        var flat = LabHostSplitter.Flatten(d);
        string json = LabExporter.Export(flat, LabExportFormat.Json);
        var parts = LabHostSplitter.Split(d);
        var remote = parts.Where(p => p.Host is not null).ToList();
        using var sessions = LabHostSessions.Open(remote.Select(p => p.Host!).ToList(), LocalVersion(cmdlet));
        // Hosts on one kernel (namespaces of one machine, as the test fixture's) share its neighbour tables, one per
        // family for all its namespaces, which each matrix paces itself to: two at once overflow each other's waves
        // (N = 200 across two such hosts: 32x one host's time). So the matrices of hosts that share a kernel (the same
        // boot_id) run one after the other; hosts on other kernels run at the same time.
        var asking = remote.Select(p => (Part: p, Run: sessions.Begin(p.HostName, "(Get-Content -Raw /proc/sys/kernel/random/boot_id).Trim()"))).ToList();
        var kernelOf = asking.ToDictionary(x => x.Part.HostName, x => sessions.End(x.Part.HostName, x.Run, "test lab").FirstOrDefault()?.ToString() ?? x.Part.HostName);
        string here = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        var queues = remote.GroupBy(p => kernelOf[p.HostName]).Select(g => new Queue<LabHostPart>(g)).ToList();
        var results = new List<PSObject>();
        void TestLocal(LabHostPart local)
        {
            var from = local.Definition.Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
            results.AddRange(ReachabilityMatrix.TestAsync(LabResolver.Resolve(flat), from, count, TimeSpan.FromSeconds(timeoutSeconds), cmdlet.StopToken)
                .GetAwaiter().GetResult().Select(r => PSObject.AsPSObject(r)));
        }
        // This machine's nodes: alone first when it shares a kernel with a host, else during the first round.
        var localPart = parts.FirstOrDefault(p => p.Host is null);
        void TestLocalOnce()
        {
            if (localPart is not null)
                TestLocal(localPart);
            localPart = null;
        }
        if (kernelOf.ContainsValue(here))
            TestLocalOnce();
        while (queues.Any(q => q.Count > 0))
        {
            cmdlet.StopToken.ThrowIfCancellationRequested();
            var round = queues.Where(q => q.Count > 0).Select(q => q.Dequeue()).ToList();
            var testing = round.Select(p => (Part: p, Run: sessions.Begin(p.HostName, TestScript, json, p.Definition.Nodes.Select(n => n.Name).ToArray(), count, timeoutSeconds))).ToList();
            TestLocalOnce();
            foreach (var (part, run) in testing)
                results.AddRange(sessions.End(part.HostName, run, "test lab"));
        }
        TestLocalOnce();
        return results.OrderBy(r => Text(r, "From"), StringComparer.Ordinal).ThenBy(r => Text(r, "To"), StringComparer.Ordinal)
            .ThenBy(r => Text(r, "Address"), StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The lab as each host runs its part (read there from the kernel's tags), each with a Host note property; here
    /// too when it has nodes without a Host. A host that cannot be reached fails it, naming the host.
    /// </summary>
    public static List<PSObject> Get(NetNsCmdlet cmdlet, LabDefinition d)
    {
        using var sessions = LabHostSessions.Open(d.Hosts, LocalVersion(cmdlet));
        var reading = d.Hosts.Select(h => (Host: h.Name, Run: sessions.Begin(h.Name, GetScript, d.Name))).ToList();
        var result = new List<PSObject>();
        if (LabInfo.Read(d.Name) is { } here)
            result.Add(WithHost(PSObject.AsPSObject(here), "local"));
        foreach (var (h, run) in reading)
            result.AddRange(sessions.End(h, run, "get lab").Select(o => WithHost(o, h)));
        if (result.Count == 0)
            throw new NetNsException(NetNsErrorReason.NamespaceNotFound, "get lab", $"no lab '{d.Name}' is running on {string.Join(", ", d.Hosts.Select(h => h.Name))}", d.Name);
        return result;
    }

    private static PSObject WithHost(PSObject o, string host)
    {
        o.Properties.Add(new PSNoteProperty("Host", host));
        return o;
    }

    private static string Text(PSObject o, string property) => o.Properties[property]?.Value?.ToString() ?? "";

    private static bool IsChange(PSObject o) => o.TypeNames.Any(t => t.EndsWith("NetNs.Core.LabChange", StringComparison.Ordinal));

    private static LabChange FromRemote(PSObject o, string host) => new()
    {
        Lab = Text(o, "Lab"),
        Host = host,
        Action = Enum.Parse<LabChangeAction>(Text(o, "Action")),
        Kind = Enum.Parse<LabObjectKind>(Text(o, "Kind")),
        Namespace = Text(o, "Namespace"),
        Target = Text(o, "Target"),
        Detail = o.Properties["Detail"]?.Value?.ToString(),
    };
}
