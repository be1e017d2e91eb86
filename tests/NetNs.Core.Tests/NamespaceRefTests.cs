namespace NetNs.Core.Tests;

/// <summary>How what a user types is read as a namespace, and opened.</summary>
public class NamespaceRefTests
{
    [Theory]
    [InlineData(null, NamespaceRefKind.Current)]
    [InlineData("", NamespaceRefKind.Current)]
    [InlineData("red", NamespaceRefKind.Name)]
    [InlineData("/run/netns/red", NamespaceRefKind.Path)]
    [InlineData("./red", NamespaceRefKind.Path)]
    [InlineData("12345678", NamespaceRefKind.ProcessId)]
    [InlineData("12a", NamespaceRefKind.Name)]
    public void ParseTellsNamesPathsAndPidsApart(string? text, NamespaceRefKind kind)
    {
        var r = NamespaceRef.Parse(text);
        Assert.Equal(kind, r.Kind);
        Assert.Equal(string.IsNullOrEmpty(text) ? null : text, r.ToString());
        Assert.Equal(r, NamespaceRef.Parse(text));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a\0b")]
    [InlineData("0")]
    public void BadReferencesAreInvalidArgument(string text) =>
        Assert.Equal(NetNsErrorReason.InvalidArgument, Assert.Throws<NetNsException>(() => NamespaceRef.Parse(text)).Reason);

    [RootFact]
    public void OpenGivesTheSameNamespaceWhicheverWayItIsNamed()
    {
        using var lab = new Lab();
        string name = lab.Namespace();
        using var byName = NamespaceRef.Parse(name).Open();
        using var byPath = NamespaceRef.Parse("/run/netns/" + name).Open();
        Assert.Equal(name, byName.Name);
        Assert.Equal(name, byPath.Name); // a /run/netns path is given its name
        Assert.Equal(byName, byPath);
        var sleeper = NamespaceTests.StartSleeperIn(name);
        try
        {
            using var byPid = NamespaceRef.Parse(sleeper.Id.ToString()).Open();
            Assert.Equal(byName, byPid);
            Assert.Equal(name, byPid.Name);
        }
        finally
        {
            NamespaceTests.Stop(sleeper);
        }
        using var current = NamespaceRef.Current.Open();
        Assert.True(current.IsCurrent);
        using var rtnl = NetlinkHandle.Open(NamespaceRef.Parse(name));
        Assert.Equal(name, rtnl.NamespaceName);
        Assert.Equal(["lo"], rtnl.GetLinks().Select(l => l.Name));
    }

    [RootFact]
    public void DigitsNameANamespaceWhenOneHasThatName()
    {
        using var lab = new Lab();
        string digits = "9" + Random.Shared.Next(10_000_000, 99_999_999); // beyond pid_max, so never a live pid
        lab.Track(digits);
        NamedNamespaces.Create(digits);
        Assert.Equal(NamespaceRefKind.Name, NamespaceRef.Parse(digits).Kind);
        NamedNamespaces.Delete(digits);
        Assert.Equal(NamespaceRefKind.ProcessId, NamespaceRef.Parse(digits).Kind);
    }

    [RootFact]
    public void OpeningWhatIsNotThereIsNamespaceNotFound()
    {
        Assert.Equal(NetNsErrorReason.NamespaceNotFound,
            Assert.Throws<NetNsException>(() => NamespaceRef.Parse(Lab.UniqueName()).Open()).Reason);
        Assert.Equal(NetNsErrorReason.NamespaceNotFound,
            Assert.Throws<NetNsException>(() => NamespaceRef.Parse("/run/netns/" + Lab.UniqueName()).Open()).Reason);
        Assert.Equal(NetNsErrorReason.NamespaceNotFound,
            Assert.Throws<NetNsException>(() => NetlinkHandle.Open(NamespaceRef.FromProcessId(int.MaxValue))).Reason);
    }

    [RootFact]
    public void AFifoOrDeviceGivenAsANamespaceIsRefusedAtOnceInsteadOfBlocking()
    {
        string fifo = Path.Combine(Path.GetTempPath(), Lab.UniqueName());
        Assert.Equal(0, Lab.Run("mkfifo", fifo).Code);
        try
        {
            foreach (string path in new[] { fifo, "/dev/null", "/etc" })
            {
                // On a thread of its own: a regression would block in open(2) on the FIFO, and must fail, not hang.
                var open = Task.Factory.StartNew(() => Assert.Throws<NetNsException>(() => NamespaceRef.FromPath(path).Open()),
                    TaskCreationOptions.LongRunning);
                Assert.True(open.Wait(TimeSpan.FromSeconds(5)), $"opening {path} blocked");
                Assert.Equal(NetNsErrorReason.InvalidArgument, open.Result.Reason);
                Assert.Contains("not a network namespace", open.Result.Message);
            }
        }
        finally
        {
            File.Delete(fifo);
        }
    }
}
