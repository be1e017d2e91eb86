using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Tests;

// ErrorMapping returns ErrorCategory, an enum: that works against the stub SMA (ErrorRecord itself is never built here).
public class ErrorMappingTests
{
    public static TheoryData<NetNsErrorReason> Reasons() => [.. Enum.GetValues<NetNsErrorReason>()];

    [Theory]
    [MemberData(nameof(Reasons))]
    public void ErrorIdIsTheReasonName(NetNsErrorReason reason) =>
        Assert.Equal(reason.ToString(), global::NetNs.ErrorMapping.ErrorId(reason));

    [Theory]
    [MemberData(nameof(Reasons))]
    public void CategoryFollowsTheReason(NetNsErrorReason reason)
    {
        string name = reason.ToString();
        var expected = name switch
        {
            _ when name.EndsWith("Exists", StringComparison.Ordinal) => ErrorCategory.ResourceExists,
            _ when name.EndsWith("NotFound", StringComparison.Ordinal) => ErrorCategory.ObjectNotFound,
            _ when name.EndsWith("Busy", StringComparison.Ordinal) => ErrorCategory.ResourceBusy,
            "PermissionDenied" => ErrorCategory.PermissionDenied,
            "InvalidArgument" => ErrorCategory.InvalidArgument,
            "OperationFailed" => ErrorCategory.NotSpecified,
            _ => (ErrorCategory?)null,
        };
        var actual = global::NetNs.ErrorMapping.Category(reason);
        if (expected is { } e)
            Assert.Equal(e, actual);
        else
            Assert.NotEqual(ErrorCategory.NotSpecified, actual); // every specific reason gets a specific category
    }
}
