namespace NetNs.Core.Tests;

public sealed class ContainerdTaskTests
{
    /// <summary>containerd namespace the tests use; the image is imported into it once and kept.</summary>
    private const string CtrNamespace = "nt-tests";
    private const string Image = "docker.io/library/nt-busybox:latest";

    private static void EnsureImage()
    {
        if (Lab.Run("ctr", "-n", CtrNamespace, "image", "inspect", Image).Code == 0)
            return;
        var save = Lab.Run("bash", "-c", $"docker save nt-busybox:latest | ctr -n {CtrNamespace} image import -");
        Assert.True(save.Code == 0, "importing the image into containerd failed: " + save.Err);
    }

    [DockerFact]
    public void KubernetesPodSandboxIsFoundWithItsOwnNamespace()
    {
        EnsureImage();
        string id = Lab.UniqueName();
        string pod = Lab.UniqueName();
        var run = Lab.Run("ctr", "-n", CtrNamespace, "run", "-d",
            "--annotation", "io.kubernetes.cri.container-type=sandbox",
            "--annotation", "io.kubernetes.cri.sandbox-name=" + pod,
            "--annotation", "io.kubernetes.cri.sandbox-namespace=team-a",
            Image, id, "sleep", "120");
        try
        {
            Assert.True(run.Code == 0, "ctr run failed: " + run.Err);
            var found = Assert.Single(ContainerdTasks.List(), t => t.Id == id);
            Assert.Equal("kubernetes", found.Runtime);
            Assert.Equal(pod, found.Name);
            Assert.Equal(pod, found.PodName);
            Assert.Equal("team-a", found.PodNamespace);
            Assert.Equal("running", found.State);
            // Without CNI the task gets an unnamed namespace of its own with only lo.
            using var ns = NamespaceHandle.OpenPath(found.Namespace!);
            using var mine = NamespaceHandle.OpenCurrent();
            Assert.NotEqual(mine.Identity, ns.Identity);
            using var h = NetlinkHandle.Open(ns);
            Assert.Equal(["lo"], h.GetLinks().Select(l => l.Name).ToArray());
        }
        finally
        {
            Lab.Run("ctr", "-n", CtrNamespace, "task", "kill", "-s", "SIGKILL", id);
            for (int i = 0; i < 20 && Lab.Run("ctr", "-n", CtrNamespace, "task", "rm", id).Code != 0; i++)
                Thread.Sleep(250);
            Lab.Run("ctr", "-n", CtrNamespace, "container", "rm", id);
        }
    }
}
