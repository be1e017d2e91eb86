using System.Diagnostics;
using System.Text;

namespace NetNs.Core.Tests;

/// <summary>
/// Get-ContainerNetNs's discovery against real runtimes (tests/containers/start-runtimes.sh): Docker with a
/// namespace shared by two containers and one with --network none, a podman container, a containerd task with
/// Kubernetes annotations joined to a namespace pinned under /run/netns/cni-…, and a plain `unshare -n` process.
/// Everything is named nt-XXXXXXXX (the pinned namespace cni-nt-XXXXXXXX) and removed also on failure.
/// </summary>
public sealed class ContainerNetNsTests
{
    private const string CtrNamespace = "nt-tests";
    private const string CtrImage = "docker.io/library/nt-busybox:latest";
    private static readonly string[] PodmanLimits = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];

    private static void Must((int Code, string Out, string Err) r, string what) => Assert.True(r.Code == 0, $"{what} failed: {r.Err}");

    [DockerFact]
    public void SharedDockerNamespaceIsOneObjectWithBothContainersAndTheirProcesses()
    {
        string owner = Lab.UniqueName(), sharer = Lab.UniqueName(), alone = Lab.UniqueName();
        try
        {
            Must(Lab.Run("docker", "run", "-d", "--network", "none", "--name", owner, "nt-busybox:latest", "sleep", "120"), "docker run");
            Must(Lab.Run("docker", "run", "-d", "--network", "container:" + owner, "--name", sharer, "nt-busybox:latest", "sleep", "120"), "docker run");
            Must(Lab.Run("docker", "run", "-d", "--network", "none", "--name", alone, "nt-busybox:latest", "sleep", "120"), "docker run");
            int ownerPid = int.Parse(Lab.Run("docker", "inspect", "-f", "{{.State.Pid}}", owner).Out.Trim());
            int sharerPid = int.Parse(Lab.Run("docker", "inspect", "-f", "{{.State.Pid}}", sharer).Out.Trim());

            var found = ContainerNetNsDiscovery.Discover();
            Assert.Empty(found.Warnings);
            var shared = Assert.Single(found.Namespaces, n => n.Containers.Any(c => c.Name == owner));
            Assert.Equal(new[] { owner, sharer }.Order(), shared.Containers.Select(c => c.Name).Order());
            Assert.Equal(["docker"], shared.Runtime);
            Assert.Contains(ownerPid, shared.ProcessId);
            Assert.Contains(sharerPid, shared.ProcessId);
            Assert.All(shared.Processes, p => Assert.Equal("sleep", p.Command));
            Assert.False(shared.IsHost);
            // its identity is the processes' namespace, and Namespace opens it
            using (var viaPath = NamespaceHandle.OpenPath(shared.Namespace))
            using (var viaPid = NamespaceHandle.OpenProcess(sharerPid))
            {
                Assert.Equal(viaPid.Identity, viaPath.Identity);
                Assert.Equal(viaPid.Identity.Inode, shared.Inode);
            }
            // --network none: a namespace of its own, with only lo
            var none = Assert.Single(found.Namespaces, n => n.Containers.Any(c => c.Name == alone));
            Assert.NotEqual(shared.Inode, none.Inode);
            Assert.Equal(["lo"], none.Interfaces.Select(i => i.Name));
            Assert.Contains("127.0.0.1/8", none.Interfaces[0].IPAddress);
        }
        finally
        {
            Lab.Run("docker", "rm", "-f", sharer, alone);
            Lab.Run("docker", "rm", "-f", owner);
        }
    }

    [DockerFact]
    public void PodmanContainerAndAPlainUnshareProcessEachHaveOneNamespace()
    {
        string name = Lab.UniqueName();
        using var unshared = Process.Start(new ProcessStartInfo("unshare", ["-n", "sleep", "60"]))!;
        try
        {
            Must(Lab.Run("podman", ["run", "-d", "--network", "none", .. PodmanLimits, "--name", name, "localhost/nt-busybox:latest", "sleep", "120"]), "podman run");
            int pid = int.Parse(Lab.Run("podman", "inspect", "-f", "{{.State.Pid}}", name).Out.Trim());
            WaitForOwnNamespace(unshared.Id);

            var found = ContainerNetNsDiscovery.Discover();
            var pod = Assert.Single(found.Namespaces, n => n.Containers.Any(c => c.Name == name));
            Assert.Equal(["podman"], pod.Runtime);
            var c = Assert.Single(pod.Containers);
            Assert.Equal(pid, c.ProcessId);
            Assert.Equal("localhost/nt-busybox:latest", c.Image);
            Assert.Contains(pid, pod.ProcessId);

            var plain = Assert.Single(found.Namespaces, n => n.ProcessId.Contains(unshared.Id));
            Assert.Empty(plain.Containers);
            Assert.Equal(["sleep"], plain.Processes.Select(p => p.Command));
            Assert.Equal($"/proc/{unshared.Id}/ns/net", plain.Namespace);
            using var mine = NamespaceHandle.OpenCurrent();
            Assert.NotEqual(mine.Identity.Inode, plain.Inode);
            // the caller's own namespace is listed once, marked as the host's
            Assert.Equal(mine.Identity.Inode, Assert.Single(found.Namespaces, n => n.IsHost).Inode);
        }
        finally
        {
            unshared.Kill();
            unshared.WaitForExit(5000);
            Lab.Run("podman", "rm", "-f", "-t", "0", name);
        }
    }

    [DockerFact]
    public void KubernetesPodPinnedUnderRunNetnsIsOneObjectWithSandboxAndAppAndThePodName()
    {
        string cni = "cni-" + Lab.UniqueName(), pod = Lab.UniqueName(), sandbox = Lab.UniqueName(), app = Lab.UniqueName();
        try
        {
            EnsureCtrImage();
            Must(Lab.Run("ip", "netns", "add", cni), "ip netns add");
            foreach (var (id, type) in new[] { (sandbox, "sandbox"), (app, "container") })
            {
                Must(Lab.Run("ctr", "-n", CtrNamespace, "run", "-d", "--with-ns", "network:/run/netns/" + cni,
                    "--annotation", "io.kubernetes.cri.container-type=" + type,
                    "--annotation", "io.kubernetes.cri.sandbox-name=" + pod,
                    "--annotation", "io.kubernetes.cri.sandbox-namespace=team-a",
                    "--annotation", "io.kubernetes.cri.sandbox-uid=0000-" + pod,
                    "--annotation", "io.kubernetes.cri.container-name=" + (type == "sandbox" ? "POD" : "web"),
                    CtrImage, id, "sleep", "120"), "ctr run");
            }
            var found = ContainerNetNsDiscovery.Discover();
            var ns = Assert.Single(found.Namespaces, n => n.PodName == pod);
            Assert.Equal("team-a", ns.PodNamespace);
            Assert.Equal([cni], ns.Names);
            Assert.Equal("/run/netns/" + cni, ns.Namespace);
            Assert.Equal(["kubernetes"], ns.Runtime);
            Assert.Equal(2, ns.Containers.Count);
            Assert.Equal("sandbox", ns.Containers[0].Role); // the sandbox first
            Assert.Equal(pod, ns.Containers[0].Name);
            Assert.Equal("web", ns.Containers[1].Name);
            Assert.Equal("container", ns.Containers[1].Role);
            Assert.Equal(2, ns.Processes.Count);
            Assert.Equal(ns.Containers.Select(c => c.ProcessId!.Value).Order(), ns.ProcessId.Order());
        }
        finally
        {
            foreach (string id in new[] { app, sandbox })
            {
                Lab.Run("ctr", "-n", CtrNamespace, "task", "kill", "-s", "SIGKILL", id);
                for (int i = 0; i < 20 && Lab.Run("ctr", "-n", CtrNamespace, "task", "rm", id).Code != 0; i++)
                    Thread.Sleep(250);
                Lab.Run("ctr", "-n", CtrNamespace, "container", "rm", id);
            }
            Lab.Run("ip", "netns", "delete", cni);
        }
    }

    [Fact]
    public void MalformedRuntimeStateIsOneWarningPerRuntimeNeverAnException()
    {
        string dir = Directory.CreateTempSubdirectory("nt-state-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "storage", "overlay-containers"));
            File.WriteAllText(Path.Combine(dir, "storage", "overlay-containers", "containers.json"), "[{\"id\": ");
            foreach (string id in new[] { "a1", "b2" })
            {
                Directory.CreateDirectory(Path.Combine(dir, "docker", "containers", id));
                File.WriteAllText(Path.Combine(dir, "docker", "containers", id, "config.v2.json"), "{not json");
            }
            Directory.CreateDirectory(Path.Combine(dir, "ctd", "k8s.io", "abc"));
            File.WriteAllText(Path.Combine(dir, "ctd", "k8s.io", "abc", "init.pid"), "1");
            File.WriteAllText(Path.Combine(dir, "ctd", "k8s.io", "abc", "config.json"), "[");
            var w = new RuntimeWarnings();
            Assert.Empty(PodmanState.List(w, Path.Combine(dir, "storage"), Path.Combine(dir, "run")));
            Assert.Empty(DockerContainers.ListOnDisk(w, Path.Combine(dir, "docker")));
            Assert.Empty(ContainerdTasks.List(w, Path.Combine(dir, "ctd")));
            Assert.Equal(3, w.Messages.Count);
            Assert.Contains(w.Messages, m => m.StartsWith("docker:", StringComparison.Ordinal) && m.Contains("1 more", StringComparison.Ordinal));
            Assert.Contains(w.Messages, m => m.StartsWith("podman:", StringComparison.Ordinal));
            Assert.Contains(w.Messages, m => m.StartsWith("containerd:", StringComparison.Ordinal));
            // A socket path with nothing listening is "no engine", not an error.
            Assert.Null(DockerApi.TryList(Path.Combine(dir, "no.sock")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void CriOContainersInContainersStorageAreReadWithTheirPod()
    {
        // CRI-O's layout (as podman's): containers.json, userdata/config.json with its annotations, the pidfile in the run root.
        string dir = Directory.CreateTempSubdirectory("nt-crio-").FullName;
        try
        {
            string id = new('c', 64);
            Directory.CreateDirectory(Path.Combine(dir, "storage", "overlay-containers", id, "userdata"));
            Directory.CreateDirectory(Path.Combine(dir, "run", "overlay-containers", id, "userdata"));
            File.WriteAllText(Path.Combine(dir, "storage", "overlay-containers", "containers.json"),
                $$"""[{"id":"{{id}}","names":["k8s_POD_web_team-a_0"],"metadata":"{\"image-name\":\"registry.k8s.io/pause:3.9\"}"}]""");
            File.WriteAllText(Path.Combine(dir, "storage", "overlay-containers", id, "userdata", "config.json"), """
                {"linux":{"namespaces":[{"type":"network","path":"/proc/thread-self/ns/net"}]},
                 "annotations":{"io.kubernetes.cri-o.ContainerType":"sandbox","io.kubernetes.pod.name":"web",
                                "io.kubernetes.pod.namespace":"team-a","io.kubernetes.pod.uid":"u-1"}}
                """);
            File.WriteAllText(Path.Combine(dir, "run", "overlay-containers", id, "userdata", "pidfile"), Environment.ProcessId.ToString());
            var w = new RuntimeWarnings();
            var c = Assert.Single(PodmanState.List(w, Path.Combine(dir, "storage"), Path.Combine(dir, "run")));
            Assert.Empty(w.Messages);
            Assert.Equal("cri-o", c.Runtime);
            Assert.Equal("sandbox", c.Role);
            Assert.Equal("web", c.Name);
            Assert.Equal("web", c.PodName);
            Assert.Equal("team-a", c.PodNamespace);
            Assert.Equal("u-1", c.PodUid);
            Assert.Equal("registry.k8s.io/pause:3.9", c.Image);
            Assert.Equal(Environment.ProcessId, c.ProcessId);
            Assert.Equal("/proc/thread-self/ns/net", c.Namespace);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void NoRuntimeInstalledIsNoContainersAndNoWarning()
    {
        string none = Path.Combine(Path.GetTempPath(), "nt-absent-" + Guid.NewGuid().ToString("N")[..8]);
        var w = new RuntimeWarnings();
        Assert.Empty(DockerContainers.List(w, Path.Combine(none, "docker.sock"), none));
        Assert.Empty(ContainerdTasks.List(w, none));
        Assert.Empty(PodmanState.List(w, none, none));
        Assert.Empty(w.Messages);
        // and the scan alone still finds this process in its namespace
        using var mine = NamespaceHandle.OpenCurrent();
        Assert.Contains(NamespaceProcesses.Scan()[mine.Identity], p => p.ProcessId == Environment.ProcessId);
    }

    [Theory]
    [InlineData("123 (sleep) S 45 123 1 0", "sleep", 45)]
    [InlineData("9 (a b) c) Z 1 9", "a b) c", 1)]
    [InlineData("7 (kworker/0:1) I 2 0 0", "kworker/0:1", 2)]
    public void StatLineGivesCommandAndParent(string line, string comm, int ppid)
    {
        Assert.True(NamespaceProcesses.TryParseStat(Encoding.UTF8.GetBytes(line), out string c, out int p));
        Assert.Equal(comm, c);
        Assert.Equal(ppid, p);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12 (trunc")]
    [InlineData("12 (x) S")]
    public void MalformedStatLineIsRejected(string line) =>
        Assert.False(NamespaceProcesses.TryParseStat(Encoding.UTF8.GetBytes(line), out _, out _));

    private static void EnsureCtrImage()
    {
        if (Lab.Run("ctr", "-n", CtrNamespace, "image", "inspect", CtrImage).Code == 0)
            return;
        Must(Lab.Run("bash", "-c", $"docker save nt-busybox:latest | ctr -n {CtrNamespace} image import -"), "ctr image import");
    }

    // unshare(1) execs sleep after unshare(2): wait until the pid shows a namespace other than ours.
    private static void WaitForOwnNamespace(int pid)
    {
        using var mine = NamespaceHandle.OpenCurrent();
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var h = NamespaceHandle.OpenProcess(pid);
                if (h.Identity != mine.Identity && File.ReadAllText($"/proc/{pid}/comm").Trim() == "sleep")
                    return;
            }
            catch (NetNsException)
            {
            }
            Thread.Sleep(20);
        }
        throw new TimeoutException($"unshare -n (pid {pid}) never got a namespace of its own");
    }
}
