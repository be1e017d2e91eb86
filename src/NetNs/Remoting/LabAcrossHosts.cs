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
    // First whether the lab has namespaces there already (a part made new is removed again when another host fails), then the changes.
    private const string PlanScript = "param($d, $lab) [NetNs.Core.RunningLabReader]::HasNamespaces($lab); [NetNs.Core.LabDeployment]::Plan([NetNs.Core.LabDefinitionReader]::Read([NetNs.Core.DefinitionValue]::FromJson($d))).Changes";
    private const string DeployScript = "param($d) Deploy-NetNsLab -Definition $d -PassThru -Confirm:$false -ErrorAction Stop";
    private const string RemoveScript = "param($lab) $n = @([NetNs.Core.LabDeployment]::RemovalTargets([NetNs.Core.RunningLabReader]::Read($lab, 'Namespaces'))).Count; if ($n) { Remove-NetNsLab -Name $lab -Confirm:$false -ErrorAction Stop }; $n";
    private const string GetScript = "param($lab) if ([NetNs.Core.RunningLabReader]::HasNamespaces($lab)) { Get-NetNsLab -Name $lab -ErrorAction Stop }";
    private const string TestScript = "param($d, $from, $count, $timeout) $p = @{}; if ($from) { $p.From = $from }; Test-NetNsLab -Definition $d @p -Count $count -TimeoutSeconds $timeout -ErrorAction Stop";
    private const string ProbeOpenScript = "param($ns) $global:NetNsReachabilityHost = [NetNs.Core.ReachabilityHost]::Open([string[]]$ns); $global:NetNsReachabilityHost.Describe()";
    private const string ProbeRunScript = "param($wave) $global:NetNsReachabilityHost.Run($wave)";
    private const string ProbeCloseScript = "if ($global:NetNsReachabilityHost) { $global:NetNsReachabilityHost.Dispose(); Remove-Variable -Scope Global -Name NetNsReachabilityHost }";

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
        var parts = LabHostSplitter.Split(LabHostSplitter.WithLocalAddress(d));
        var remote = parts.Where(p => p.Host is not null).ToList();
        var local = parts.FirstOrDefault(p => p.Host is null);
        string? installFrom = installModule
            ? cmdlet.MyInvocation.MyCommand.Module?.ModuleBase ?? throw NetNsException.Invalid("deploy lab", "InstallModule", "-InstallModule copies the NetNs module this cmdlet was loaded from, and it was not loaded as a module (Import-Module NetNs)")
            : null;
        using var sessions = LabHostSessions.Open(remote.Select(p => p.Host!).ToList(), LocalVersion(cmdlet), null, installFrom);
        var planning = remote.Select(p => (Part: p, Run: sessions.Begin(p.HostName, PlanScript, Json(p), d.Name))).ToList();
        LabPlan? localPlan = null;
        var existed = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (local is not null)
        {
            cmdlet.EnsurePrivileges();
            existed[local.HostName] = RunningLabReader.HasNamespaces(d.Name);
            localPlan = LabDeployment.Plan(local.Definition, cmdlet.StopToken);
        }
        var changes = new List<LabChange>(localPlan?.Changes ?? []);
        foreach (var (part, run) in planning)
        {
            var output = sessions.End(part.HostName, run, "plan lab");
            existed[part.HostName] = output.FirstOrDefault()?.BaseObject is not false;
            changes.AddRange(output.Skip(1).Select(o => FromRemote(o, part.HostName)));
        }
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
        var done = new List<string>();
        if (localPlan is not null)
        {
            try
            {
                LabDeployment.Apply(localPlan);
                made.AddRange(localPlan.Changes);
                done.Add(local!.HostName);
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
                done.Add(part.HostName);
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
            // Each failed host rolled its own part back; a part another host made new is removed again, so a failed
            // deploy of a new lab leaves nothing anywhere. A part that changed a running lab stays (a converge cannot be
            // undone by tags): Remove-NetNsLab -Definition removes the lab on every host.
            foreach (string h in done.Where(h => changes.Any(c => (c.Host ?? "local") == h)))
            {
                if (existed[h])
                {
                    cmdlet.WriteWarning($"deploy lab '{d.Name}': the lab's part on {h} was changed and stays");
                    continue;
                }
                try
                {
                    if (h == "local")
                        LabDeployment.Remove(d.Name, out _);
                    else
                        sessions.End(h, sessions.Begin(h, RemoveScript, d.Name), "remove lab");
                    cmdlet.WriteVerbose($"deploy lab '{d.Name}': removed the part made on {h}, since another host failed");
                }
                catch (NetNsException e)
                {
                    errors.Add(e);
                }
            }
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
    /// The reachability matrix of the whole lab (the expectations come from the whole definition). A lab on one host
    /// is tested there in one call. Across hosts, this machine drives the waves (<see cref="ReachabilityMatrix.TestAcrossAsync"/>):
    /// each host holds its nodes' namespaces open (<see cref="ReachabilityHost"/>) and, per wave, forgets the entries
    /// the previous wave made there and probes from its nodes, all hosts at once; so the entries an echo makes on the
    /// target's host (for its reply) are forgotten too, and the waves are paced to each kernel's tables (hosts on
    /// one kernel, as the test fixture's, share them).
    /// </summary>
    public static List<PSObject> Test(NetNsCmdlet cmdlet, LabDefinition d, string[]? from, int count, double timeoutSeconds)
    {
        var flatDefinition = LabHostSplitter.Flatten(d);
        var parts = LabHostSplitter.Split(LabHostSplitter.WithLocalAddress(d));
        var remote = parts.Where(p => p.Host is not null).ToList();
        using var sessions = LabHostSessions.Open(remote.Select(p => p.Host!).ToList(), LocalVersion(cmdlet));
        IEnumerable<PSObject> results;
        if (parts.Count == 1 && remote.Count == 1)
        {
            string json = LabExporter.Export(flatDefinition, LabExportFormat.Json);
            results = sessions.End(remote[0].HostName, sessions.Begin(remote[0].HostName, TestScript, json, from, count, timeoutSeconds), "test lab");
        }
        else
        {
            results = TestAcross(cmdlet, LabResolver.Resolve(flatDefinition), parts, sessions, from?.ToHashSet(StringComparer.Ordinal), count, timeoutSeconds).Select(PSObject.AsPSObject);
        }
        return results.OrderBy(r => Text(r, "From"), StringComparer.Ordinal).ThenBy(r => Text(r, "To"), StringComparer.Ordinal)
            .ThenBy(r => Text(r, "Address"), StringComparer.Ordinal).ToList();
    }

    private static List<LabReachability> TestAcross(NetNsCmdlet cmdlet, LabModel flat, IReadOnlyList<LabHostPart> parts, LabHostSessions sessions, IReadOnlySet<string>? from, int count, double timeoutSeconds)
    {
        var nsOfNode = flat.Namespaces.Where(n => n.Role == LabRole.Node).ToDictionary(n => flat.MemberOf(n.Name), n => n.Name, StringComparer.Ordinal);
        string[] Namespaces(LabHostPart p) => p.Definition.Nodes.Select(n => nsOfNode[n.Name]).ToArray();
        var opening = parts.Where(p => p.Host is not null).Select(p => (Part: p, Run: sessions.Begin(p.HostName, ProbeOpenScript, (object)Namespaces(p)))).ToList();
        ReachabilityHost? here = null;
        try
        {
            var places = new Dictionary<string, ReachabilityPlace>(StringComparer.Ordinal);
            if (parts.FirstOrDefault(p => p.Host is null) is { } local)
            {
                cmdlet.EnsurePrivileges();
                here = ReachabilityHost.Open(Namespaces(local));
                var place = ReachabilityPlace.Local(local.HostName, here);
                foreach (string ns in here.Namespaces)
                    places[ns] = place;
            }
            var errors = new List<NetNsException>();
            foreach (var (part, run) in opening)
            {
                try
                {
                    string description = sessions.End(part.HostName, run, "test lab").Select(o => o?.BaseObject as string).LastOrDefault()
                        ?? throw new NetNsException(NetNsErrorReason.OperationFailed, "test lab", $"host '{part.HostName}' did not open the lab's namespaces", part.HostName);
                    string host = part.HostName;
                    var place = ReachabilityPlace.Remote(host, description, (wave, cancel) => sessions.InvokeAsync(host, ProbeRunScript, "test lab", cancel, wave));
                    foreach (string ns in Namespaces(part))
                        places[ns] = place;
                }
                catch (NetNsException e)
                {
                    errors.Add(e);
                }
            }
            if (errors.Count > 0)
                throw errors[0];
            return ReachabilityMatrix.TestAcrossAsync(flat, places, from, count, TimeSpan.FromSeconds(timeoutSeconds), cmdlet.StopToken).GetAwaiter().GetResult();
        }
        finally
        {
            here?.Dispose();
            // The hosts' namespaces are let go before their sessions are kept for another call (an open handle keeps
            // a namespace alive after its removal); a host that cannot, has its session closed, which lets them go.
            foreach (var (part, _) in opening)
            {
                try
                {
                    if (!sessions.IsIdle(part.HostName))
                        throw new InvalidOperationException("busy"); // a stopped call: its wave still runs there
                    sessions.End(part.HostName, sessions.Begin(part.HostName, ProbeCloseScript), "test lab");
                }
                catch (Exception e) when (e is not OutOfMemoryException) // still busy (a stopped call), or gone
                {
                    sessions.Discard(part.HostName);
                }
            }
        }
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
