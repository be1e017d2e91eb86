using System.Management.Automation;
using System.Net;
using NetNs.Core;

namespace NetNs;

/// <summary>
/// For a parameter typed IPAddress or IPAddress[]: text is read with the core's one strict address parser
/// (<see cref="AddressInput.Address"/>), not PowerShell's conversion, which is IPAddress.Parse and so accepts
/// "198.18.258", "1" or "0x7f.1" as other addresses and drops an IPv6 zone. An IPAddress object passes unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class StrictAddressAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value switch
        {
            null => null,
            IPAddress a => a,
            string s => One(s),
            System.Collections.IList list => list.Cast<object?>().Select(o => (o is PSObject p ? p.BaseObject : o) switch
            {
                IPAddress a => a,
                string s => One(s),
                var other => throw new ArgumentTransformationMetadataException($"'{other}' is not an IP address"),
            }).ToArray(),
            _ => inputData,
        };
    }

    private static IPAddress One(string text)
    {
        try
        {
            return AddressInput.Address(text);
        }
        catch (NetNsException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
