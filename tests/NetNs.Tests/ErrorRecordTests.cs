using System.Management.Automation;
using NetNs.Core;
using NetNs.Core.Tests;

namespace NetNs.Tests;

/// <summary>The ErrorRecords users see: FullyQualifiedErrorId, category and target, from real cmdlet calls.</summary>
public sealed class ErrorRecordTests(PwshSession pwsh) : IClassFixture<PwshSession>, IDisposable
{
    private readonly TestNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    /// <summary>
    /// The ErrorIds scripts match on, written out: renaming a reason in the core, or changing the mapping, must
    /// fail here rather than silently break `Should -Throw -ErrorId` and `catch` blocks in users' scripts.
    /// </summary>
    public static TheoryData<NetNsErrorReason, string, ErrorCategory> Published() => new()
    {
        { NetNsErrorReason.OperationFailed, "OperationFailed", ErrorCategory.NotSpecified },
        { NetNsErrorReason.InvalidArgument, "InvalidArgument", ErrorCategory.InvalidArgument },
        { NetNsErrorReason.PermissionDenied, "PermissionDenied", ErrorCategory.PermissionDenied },
        { NetNsErrorReason.NamespaceExists, "NamespaceExists", ErrorCategory.ResourceExists },
        { NetNsErrorReason.NamespaceNotFound, "NamespaceNotFound", ErrorCategory.ObjectNotFound },
        { NetNsErrorReason.NamespaceBusy, "NamespaceBusy", ErrorCategory.ResourceBusy },
        { NetNsErrorReason.LinkExists, "LinkExists", ErrorCategory.ResourceExists },
        { NetNsErrorReason.LinkNotFound, "LinkNotFound", ErrorCategory.ObjectNotFound },
        { NetNsErrorReason.LinkBusy, "LinkBusy", ErrorCategory.ResourceBusy },
        { NetNsErrorReason.AddressExists, "AddressExists", ErrorCategory.ResourceExists },
        { NetNsErrorReason.AddressNotFound, "AddressNotFound", ErrorCategory.ObjectNotFound },
        { NetNsErrorReason.RouteExists, "RouteExists", ErrorCategory.ResourceExists },
        { NetNsErrorReason.RouteNotFound, "RouteNotFound", ErrorCategory.ObjectNotFound },
        { NetNsErrorReason.NetworkUnreachable, "NetworkUnreachable", ErrorCategory.ConnectionError },
        { NetNsErrorReason.SysctlNotFound, "SysctlNotFound", ErrorCategory.ObjectNotFound },
        { NetNsErrorReason.ContainerNotFound, "ContainerNotFound", ErrorCategory.ObjectNotFound },
        { NetNsErrorReason.NotSupported, "NotSupported", ErrorCategory.NotImplemented },
        { NetNsErrorReason.MalformedReply, "MalformedReply", ErrorCategory.InvalidResult },
        { NetNsErrorReason.Timeout, "Timeout", ErrorCategory.OperationTimeout },
        { NetNsErrorReason.NftablesNotInstalled, "NftablesNotInstalled", ErrorCategory.NotInstalled },
        { NetNsErrorReason.RuleNotFound, "RuleNotFound", ErrorCategory.ObjectNotFound },
        { NetNsErrorReason.NetworkExists, "NetworkExists", ErrorCategory.ResourceExists },
        { NetNsErrorReason.NetworkNotFound, "NetworkNotFound", ErrorCategory.ObjectNotFound },
        { NetNsErrorReason.NoFreeAddress, "NoFreeAddress", ErrorCategory.LimitsExceeded },
        { NetNsErrorReason.NamespaceEscape, "NamespaceEscape", ErrorCategory.SecurityError },
        { NetNsErrorReason.NetemNotAvailable, "NetemNotAvailable", ErrorCategory.NotInstalled },
        { NetNsErrorReason.InvalidFilter, "InvalidFilter", ErrorCategory.InvalidArgument },
        { NetNsErrorReason.LibpcapNotInstalled, "LibpcapNotInstalled", ErrorCategory.NotInstalled },
        { NetNsErrorReason.CaptureNotFound, "CaptureNotFound", ErrorCategory.ObjectNotFound },
        { NetNsErrorReason.ConditionTimeout, "ConditionTimeout", ErrorCategory.OperationTimeout },
        { NetNsErrorReason.HostUnreachable, "HostUnreachable", ErrorCategory.ConnectionError },
        { NetNsErrorReason.HostModuleMismatch, "HostModuleMismatch", ErrorCategory.InvalidOperation },
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void EveryReasonHasItsPublishedErrorIdAndCategory(NetNsErrorReason reason, string errorId, ErrorCategory category)
    {
        Assert.Equal(errorId, ErrorMapping.ErrorId(reason));
        Assert.Equal(category, ErrorMapping.Category(reason));
        var record = ErrorMapping.ToErrorRecord(new NetNsException(reason, "op", "message", "target"), null);
        Assert.Equal(errorId, record.FullyQualifiedErrorId);
        Assert.Equal("target", record.TargetObject);
    }

    [Fact]
    public void ThePublishedTableCoversEveryReason() =>
        Assert.Equal(Enum.GetValues<NetNsErrorReason>().Order(), Published().Select(row => (NetNsErrorReason)row[0]).Order());

    [RootFact]
    public void ErrorsFromRealCallsCarryTheirIdCategoryAndTarget()
    {
        string ns = _ns.Create(), missing = _ns.Track(TestNamespaces.NewName());
        (string Script, string Id, ErrorCategory Category, string? Target)[] cases =
        [
            ($"New-NetNamespace {ns}", "NamespaceExists,NetNs.Cmdlets.NewNetNamespaceCommand", ErrorCategory.ResourceExists, ns),
            ($"Get-NetNsLink -Namespace {missing}", "NamespaceNotFound,NetNs.Cmdlets.GetNetNsLinkCommand", ErrorCategory.ObjectNotFound, missing),
            ($"Remove-NetNsLink -Namespace {ns} -Name nolink -Confirm:$false", "LinkNotFound,NetNs.Cmdlets.RemoveNetNsLinkCommand", ErrorCategory.ObjectNotFound, "nolink"),
            ($"Set-NetNsAddress -Namespace {ns} -InterfaceAlias lo -IPAddress 198.18.300.1/24", "InvalidArgument,NetNs.Cmdlets.SetNetNsAddressCommand", ErrorCategory.InvalidArgument, null),
            ($"Add-BridgePort -Namespace {ns} -Bridge lo -Name lo", "InvalidArgument,NetNs.Cmdlets.AddBridgePortCommand", ErrorCategory.InvalidArgument, null),
            ($"Get-NetNsSysctl -Namespace {ns} -Key net.ipv4.no_such_key", "SysctlNotFound,NetNs.Cmdlets.GetNetNsSysctlCommand", ErrorCategory.ObjectNotFound, null),
        ];
        foreach (var c in cases)
        {
            var e = pwsh.Run(c.Script).SingleError();
            Assert.True(c.Id == e.FullyQualifiedErrorId, $"{c.Script}: {e.FullyQualifiedErrorId} ({e})");
            Assert.Equal(c.Category, e.CategoryInfo.Category);
            if (c.Target is not null)
                Assert.Equal(c.Target, e.TargetObject?.ToString());
        }
        Assert.False(TestNamespaces.Exists(missing));
    }

    [RootFact]
    public void PipelineErrorsAreOnePerItemAndTheRestGoesOn()
    {
        string existing = _ns.Create(), a = _ns.Track(TestNamespaces.NewName()), b = _ns.Track(TestNamespaces.NewName());
        var r = pwsh.Run("param($x, $y, $z) $x, $y, $z | New-NetNamespace", a, existing, b);
        Assert.Equal("NamespaceExists,NetNs.Cmdlets.NewNetNamespaceCommand", r.SingleError().FullyQualifiedErrorId);
        Assert.Equal([a, b], r.Objects.Cast<NetNamespace>().Select(n => n.Name));
    }

    [RootFact]
    public void ErrorActionStopMakesItTerminatingWithTheSameId()
    {
        string ns = _ns.Create();
        var r = pwsh.Run($"try {{ New-NetNamespace {ns} -ErrorAction Stop; 'went on' }} catch {{ $_.FullyQualifiedErrorId }}");
        Assert.Equal(["NamespaceExists,NetNs.Cmdlets.NewNetNamespaceCommand"], r.Objects);
    }

    [Theory]
    [InlineData("Get-NetNsLink -Name '['", "GetNetNsLinkCommand")]
    [InlineData("Get-NetNsLink -Kind 'a[b'", "GetNetNsLinkCommand")]
    [InlineData("Get-NetNsAddress -InterfaceAlias '['", "GetNetNsAddressCommand")]
    [InlineData("Get-NetNsAddress -IPAddress '198.18.[0'", "GetNetNsAddressCommand")]
    [InlineData("Get-NetNamespace -Name '['", "GetNetNamespaceCommand")]
    [InlineData("Get-NetNsRoute -InterfaceAlias '['", "GetNetNsRouteCommand")]
    [InlineData("Get-NetNsContainer -Name '['", "GetNetNsContainerCommand")]
    [InlineData("Get-ContainerNetNs -Name '['", "GetContainerNetNsCommand")]
    [InlineData("Get-ContainerNetNs -Pod '['", "GetContainerNetNsCommand")]
    public void AMalformedWildcardIsOneInvalidArgumentError(string script, string cmdletClass)
    {
        var e = pwsh.Run(script).SingleError();
        Assert.Equal($"InvalidArgument,NetNs.Cmdlets.{cmdletClass}", e.FullyQualifiedErrorId);
        Assert.Contains("not a valid wildcard pattern", e.Exception.Message);
    }
}
