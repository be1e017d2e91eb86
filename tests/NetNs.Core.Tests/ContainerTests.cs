namespace NetNs.Core.Tests;

/// <summary>A fact that needs root and a running Docker engine with the local image nt-busybox:latest
/// (tests/containers/start-runtimes.sh makes both); skipped with the reason otherwise.</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (!Privilege.IsRoot)
            Skip = "needs root on Linux";
        else if (!DockerReady())
            Skip = "needs a running Docker engine and the image nt-busybox:latest (run tests/containers/start-runtimes.sh)";
    }

    private static bool DockerReady()
    {
        try
        {
            return Lab.Run("docker", "image", "inspect", "nt-busybox:latest").Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker binary
        }
    }
}

public sealed class ContainerTests
{
    /// <summary>Starts `docker run -d --network none --name NAME nt-busybox:latest sleep 120`; removed on Dispose.</summary>
    internal sealed class Container : IDisposable
    {
        public Container(string network = "none")
        {
            Name = Lab.UniqueName();
            var (code, _, err) = Lab.Run("docker", "run", "-d", "--network", network, "--name", Name, "nt-busybox:latest", "sleep", "120");
            Assert.True(code == 0, $"docker run failed: {err}");
        }

        public string Name { get; }

        public void Dispose() => Lab.Run("docker", "rm", "-f", Name);
    }

    [DockerFact]
    public void DockerContainerIsFoundWithItsNamespaceAndProcess()
    {
        using var c = new Container();
        var found = Assert.Single(DockerContainers.List(), x => x.Name == c.Name);
        Assert.Equal("docker", found.Runtime);
        Assert.Equal("running", found.State);
        Assert.Equal("none", found.NetworkMode);
        string pid = Lab.Run("docker", "inspect", "-f", "{{.State.Pid}}", c.Name).Out.Trim();
        Assert.Equal(int.Parse(pid), found.ProcessId);
        Assert.NotNull(found.Namespace);
        using var viaDiscovery = NamespaceHandle.OpenPath(found.Namespace!);
        using var viaProcess = NamespaceHandle.OpenProcess(found.ProcessId!.Value);
        Assert.Equal(viaProcess.Identity, viaDiscovery.Identity);
        Assert.Contains(ContainerNamespaces.List(), x => x.Id == found.Id);
    }

    [DockerFact]
    public void ContainerSharingAnotherContainersNetworkGetsThatNamespace()
    {
        using var owner = new Container();
        using var sharer = new Container("container:" + owner.Name);
        var all = DockerContainers.List();
        var o = Assert.Single(all, x => x.Name == owner.Name);
        var s = Assert.Single(all, x => x.Name == sharer.Name);
        using var ownerNs = NamespaceHandle.OpenPath(o.Namespace!);
        using var sharerNs = NamespaceHandle.OpenPath(s.Namespace!);
        Assert.Equal(ownerNs.Identity, sharerNs.Identity);
    }

    [DockerFact]
    public void StoppedContainerHasNoNamespace()
    {
        using var c = new Container();
        Assert.Equal(0, Lab.Run("docker", "stop", "-t", "0", c.Name).Code);
        var found = Assert.Single(DockerContainers.List(), x => x.Name == c.Name);
        Assert.Equal("exited", found.State);
        Assert.Null(found.Namespace);
        Assert.Null(found.ProcessId);
    }

    [DockerFact]
    public void VethIntoAContainerCarriesPingsBothWays()
    {
        using var c = new Container();
        using var lab = new Lab();
        string host = lab.Namespace();
        var container = Assert.Single(DockerContainers.List(), x => x.Name == c.Name);
        using var cns = NamespaceHandle.OpenPath(container.Namespace!);
        using var hns = NamespaceHandle.OpenName(host);
        using var h = NetlinkHandle.Open(hns);
        h.CreateVeth(new VethSpec { Name = "to-ctr", PeerName = "eth9", PeerNamespace = cns, Up = true });
        h.ReplaceAddress("to-ctr", IPPrefix.Parse("198.18.9.1/24"));
        using (var inside = NetlinkHandle.Open(cns))
        {
            inside.SetLinkState("lo", true);
            inside.ReplaceAddress("eth9", IPPrefix.Parse("198.18.9.2/24"));
        }
        Assert.True(Lab.Ping(host, "198.18.9.2"));
        // The container itself sees the address and reaches the host namespace.
        Assert.Contains("198.18.9.2/24", Lab.Run("docker", "exec", c.Name, "ip", "addr", "show", "eth9").Out);
        Assert.Equal(0, Lab.Run("docker", "exec", c.Name, "ping", "-c", "1", "-W", "2", "198.18.9.1").Code);
    }
}
