using System.Net.Sockets;
using System.Text;

namespace NetNs.Core.Tests;

/// <summary>The Docker Engine API client over the unix socket: against the real engine, and against a socket that answers badly.</summary>
public sealed class DockerApiTests
{
    [DockerFact]
    public void EngineApiGivesTheRunningContainerWithItsPidAndSandbox()
    {
        string name = Lab.UniqueName();
        try
        {
            Assert.Equal(0, Lab.Run("docker", "run", "-d", "--network", "none", "--name", name, "nt-busybox:latest", "sleep", "120").Code);
            var list = DockerApi.TryList();
            Assert.NotNull(list);
            var c = Assert.Single(list, x => x.Name == name);
            Assert.Equal(int.Parse(Lab.Run("docker", "inspect", "-f", "{{.State.Pid}}", name).Out.Trim()), c.ProcessId);
            Assert.Equal(Lab.Run("docker", "inspect", "-f", "{{.NetworkSettings.SandboxKey}}", name).Out.Trim(), c.Namespace);
            Assert.Equal("none", c.NetworkMode);
            Assert.Equal("nt-busybox:latest", c.Image);
            // the API and the state on disk agree
            var onDisk = Assert.Single(DockerContainers.ListOnDisk(), x => x.Name == name);
            Assert.Equal(c.Id, onDisk.Id);
            Assert.Equal(c.ProcessId, onDisk.ProcessId);
        }
        finally
        {
            Lab.Run("docker", "rm", "-f", name);
        }
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\nConnection: close\r\n\r\n[{\"Id\": 1")]
    [InlineData("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")]
    public void AnEngineThatAnswersBadlyIsOneDockerWarningAndNoContainers(string reply)
    {
        string dir = Directory.CreateTempSubdirectory("nt-api-").FullName;
        string path = Path.Combine(dir, "docker.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(4);
        var server = new Thread(() =>
        {
            using var s = listener.Accept();
            var buf = new byte[4096];
            s.Receive(buf); // the request head
            s.Send(Encoding.ASCII.GetBytes(reply));
            s.Shutdown(SocketShutdown.Both);
        }) { IsBackground = true };
        server.Start();
        try
        {
            var w = new RuntimeWarnings();
            Assert.Empty(DockerContainers.List(w, path, Path.Combine(dir, "no-docker-root")));
            var m = Assert.Single(w.Messages);
            Assert.StartsWith("docker:", m, StringComparison.Ordinal);
            Assert.True(server.Join(5000));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void APlainFileWhereASandboxWasIsIgnoredForTheProcessNamespace()
    {
        string file = Path.GetTempFileName(); // what Docker leaves in /run/docker/netns for a while after rm
        try
        {
            Assert.Equal($"/proc/{Environment.ProcessId}/ns/net", ContainerNamespaces.Pick(file, Environment.ProcessId));
            Assert.Equal("/proc/thread-self/ns/net", ContainerNamespaces.Pick("/proc/thread-self/ns/net", 0));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
