using System.Management.Automation;
using System.Net;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Ensures addresses are on a link, idempotently (`ip addr replace ADDR/LEN dev NAME`); with
/// -DefaultGateway also ensures the default route (`ip route replace default via GW dev NAME`). If the
/// route fails, the addresses this call added are removed again.
/// </summary>
[Cmdlet(VerbsCommon.Set, "NetNsAddress", SupportsShouldProcess = true)]
[OutputType(typeof(NetNsAddress))]
public sealed class SetNetNsAddressCommand : InterfaceAddressCmdlet
{
    /// <summary>Write the addresses to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        int? len = PrefixLengthGiven;
        var options = Options;
        // Each address is its own item: a bad one gets its error and the others still go on. A bad
        // -DefaultGateway stops the whole call before anything changes.
        var prefixes = new List<IPPrefix>();
        foreach (string text in IPAddress)
            Try(text, () => prefixes.Add(AddressInput.Prefix(text, len)));
        System.Net.IPAddress? gateway;
        try
        {
            gateway = ParseGateway("set default gateway");
        }
        catch (NetNsException e)
        {
            WriteNetNsError(e, DefaultGateway);
            return;
        }
        if (prefixes.Count == 0 && gateway is null)
            return;
        string action = "Set address " + string.Join(", ", prefixes) + (gateway is null ? "" : $" and default gateway {gateway}");
        if (!ShouldChange(Describe(InterfaceAlias, Namespace), action))
            return;
        Try(InterfaceAlias, () =>
        {
            if (PassThru)
                WriteObject(Rtnl(Namespace).SetInterfaceAddresses(InterfaceAlias, prefixes, gateway, options), enumerateCollection: true);
            else
                Rtnl(Namespace).EnsureInterfaceAddresses(InterfaceAlias, prefixes, gateway, options); // no read-back nobody asked for
        });
    }
}
