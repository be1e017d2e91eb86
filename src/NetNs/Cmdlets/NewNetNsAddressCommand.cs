using System.Management.Automation;
using System.Net;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Adds addresses to a link (`ip addr add ADDR/LEN dev NAME`), as New-NetIPAddress does on Windows: an address that is
/// there already is an AddressExists error. With -DefaultGateway also adds the default route through the link
/// (`ip route add default via GW dev NAME`). All or nothing: a failed step removes what the call added. Writes the
/// addresses. Set-NetNsAddress is the idempotent form.
/// </summary>
[Cmdlet(VerbsCommon.New, "NetNsAddress", SupportsShouldProcess = true)]
[OutputType(typeof(NetNsAddress))]
public sealed class NewNetNsAddressCommand : InterfaceAddressCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        int? len = PrefixLengthGiven;
        var options = Options;
        var prefixes = new List<IPPrefix>();
        System.Net.IPAddress? gateway = null;
        try
        {
            // One clear error before anything changes: a bad address or gateway stops the whole call.
            foreach (string text in IPAddress)
                prefixes.Add(AddressInput.Prefix(text, len));
            gateway = ParseGateway("add default gateway");
        }
        catch (NetNsException e)
        {
            WriteNetNsError(e, IPAddress);
            return;
        }
        string action = "Add address " + string.Join(", ", prefixes) + (gateway is null ? "" : $" and default gateway {gateway}");
        if (!ShouldChange(Describe(InterfaceAlias, Namespace), action))
            return;
        Try(InterfaceAlias, () => WriteObject(Rtnl(Namespace).AddInterfaceAddresses(InterfaceAlias, prefixes, gateway, options), enumerateCollection: true));
    }
}
