using System.Management.Automation;
using System.Management.Automation.Runspaces;
using NetNs.Core.Tests;

namespace NetNs.Tests;

/// <summary>
/// The cmdlets share netlink handles across calls (NetlinkHandleCache): what a user could notice of it. A namespace
/// re-created between two calls is seen fresh, 8 runspaces at once work, 5000 calls grow no descriptors or threads,
/// and Remove-NetNamespace leaves nothing holding the namespace.
/// </summary>
[Collection(nameof(HandleCacheCmdletTests))] // counts /proc/self/fd and /proc/self/task: nothing else may run beside
public sealed class HandleCacheCmdletTests(PwshSession pwsh) : IClassFixture<PwshSession>, IDisposable
{
    private readonly TestNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    [RootTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void ANamespaceDeletedAndRecreatedUnderItsNameBetweenTwoCallsIsSeenFresh(bool withCmdlets)
    {
        string ns = _ns.Create();
        pwsh.Ok("Set-NetNsLink $args[0] lo -Up", ns);
        Assert.Equal("Up", pwsh.Ok("(Get-NetNsLink $args[0] lo).State.ToString()", ns).Single());
        if (withCmdlets)
        {
            pwsh.Ok("Remove-NetNamespace $args[0]; $null = New-NetNamespace $args[0] -LoopbackDown", ns);
        }
        else
        {
            TestNamespaces.Ip("netns", "delete", ns);
            TestNamespaces.Ip("netns", "add", ns);
        }
        Assert.Equal("Down", pwsh.Ok("(Get-NetNsLink $args[0] lo).State.ToString()", ns).Single());
        pwsh.Ok("Set-NetNsLink $args[0] lo -Up", ns);
        Assert.Contains("state UNKNOWN", TestNamespaces.Ip("-n", ns, "link", "show", "lo")); // lo up reads UNKNOWN
    }

    [RootFact]
    public void EightRunspacesInParallelShareTheCache()
    {
        string shared = _ns.Create();
        var own = Enumerable.Range(0, 8).Select(_ => _ns.Create()).ToList();
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(Path.Combine(CmdletMetadata.RepoRoot, "out", "NetNs", "NetNs.psd1"));
        using var pool = RunspaceFactory.CreateRunspacePool(iss);
        pool.SetMaxRunspaces(8);
        pool.SetMinRunspaces(8);
        pool.Open();
        const string Script = """
            param($shared, $own, $k)
            $ErrorActionPreference = 'Stop'
            $null = New-VethPair -Namespace $own -Name "p$k" -PeerName "q$k" -PeerNamespace $shared
            for ($i = 0; $i -lt 100; $i++) {
                Set-NetNsLink $shared "q$k" -Up:($i % 2 -eq 0) -Down:($i % 2 -eq 1)
                Set-NetNsLink $own lo -Up
                $null = Set-NetNsAddress $own -InterfaceAlias "p$k" -IPAddress "198.18.$k.$($i + 1)/24"
            }
            Set-NetNsLink $shared "q$k" -Up
            (Get-NetNsAddress $own -InterfaceAlias "p$k").Count
            """;
        var runs = own.Select((o, k) =>
        {
            var ps = PowerShell.Create();
            ps.RunspacePool = pool;
            ps.AddScript(Script).AddArgument(shared).AddArgument(o).AddArgument(k);
            return (ps, ps.BeginInvoke());
        }).ToList();
        foreach (var (ps, async) in runs)
        {
            using (ps)
            {
                var output = ps.EndInvoke(async);
                Assert.False(ps.HadErrors, string.Join("; ", ps.Streams.Error));
                Assert.Equal(100, (int)output.Single().BaseObject);
            }
        }
        string links = TestNamespaces.Ip("-n", shared, "-o", "link", "show", "up");
        Assert.All(Enumerable.Range(0, 8), k => Assert.Contains($"q{k}@", links));
    }

    [RootFact]
    public void FiveThousandCallsGrowNoDescriptorsOrThreads()
    {
        var names = Enumerable.Range(0, 3).Select(_ => _ns.Create()).ToArray();
        const string Calls = """
            param($names, $n)
            for ($i = 0; $i -lt $n; $i++) { Set-NetNsLink $names[$i % 3] lo -Up:($i % 2 -eq 0) -Down:($i % 2 -eq 1) }
            """;
        pwsh.Ok(Calls, names, 200); // warm: the handles are open, the sweeper's timer exists
        int fds = Directory.GetFiles("/proc/self/fd").Length, tasks = Directory.GetDirectories("/proc/self/task").Length;
        pwsh.Ok(Calls, names, 5000);
        int fdsAfter = Directory.GetFiles("/proc/self/fd").Length, tasksAfter = Directory.GetDirectories("/proc/self/task").Length;
        Assert.True(fdsAfter <= fds, $"descriptors grew from {fds} to {fdsAfter} over 5000 calls");
        Assert.True(tasksAfter <= tasks + 2, $"threads grew from {tasks} to {tasksAfter} over 5000 calls"); // a pool thread or two may come
    }

    [RootFact]
    public void AfterRemoveNetNamespaceNothingHoldsTheNamespace()
    {
        string gone = _ns.Create(), witness = _ns.Create();
        // Use the namespace every way that keeps something warm: a cached handle, a warm thread with a runspace.
        pwsh.Ok("""
            $null = New-VethPair -Namespace $args[0] -Name w0 -PeerName w1 -PeerNamespace $args[1]
            Set-NetNsLink $args[0] lo -Up
            $null = Get-NetNsLink $args[0]
            Invoke-InNetNamespace $args[0] { $null = 1 }
            """, gone, witness);
        var ns = (NetNs.Core.NetNamespace)pwsh.Ok("Get-NetNamespace $args[0]", gone).Single();
        string inode = $"net:[{ns.Inode}]";

        Assert.Empty(pwsh.Ok("Remove-NetNamespace $args[0]", gone));

        Assert.DoesNotContain($" /run/netns/{gone} ", File.ReadAllText("/proc/self/mountinfo"));
        Assert.Equal(false, pwsh.Ok("[NetNs.Core.NetlinkHandleCache]::Holds([NetNs.Core.FileIdentity]::new($args[0], $args[1]))",
            ns.Device, ns.Inode).Single());
        Assert.DoesNotContain(inode, Directory.GetFiles("/proc/self/fd").Select(f => new FileInfo(f).LinkTarget));
        Assert.True(SpinWait.SpinUntil(() => !Directory.GetDirectories("/proc/self/task").Any(t => new FileInfo(t + "/ns/net").LinkTarget == inode),
            TimeSpan.FromSeconds(1)), "a thread of this process is still in the removed namespace");
        // Really gone: the kernel destroyed it, and with it the veth whose other end is in the witness namespace.
        Assert.True(SpinWait.SpinUntil(() => !TestNamespaces.Ip("-n", witness, "-o", "link").Contains("w1@"), TimeSpan.FromSeconds(10)),
            "the removed namespace is still alive (its veth's other end is still there)");
    }
}

/// <summary>The cache cmdlet tests run alone: the descriptor and thread counts must not see other tests' work.</summary>
[CollectionDefinition(nameof(HandleCacheCmdletTests), DisableParallelization = true)]
public sealed class HandleCacheCmdletCollection;
