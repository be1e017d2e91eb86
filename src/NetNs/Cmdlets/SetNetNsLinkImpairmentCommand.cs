using System.Management.Automation;
using NetNs.Core;

namespace NetNs.Cmdlets;

/// <summary>
/// Makes a link behave like a slow, lossy or broken one: a rate (tbf), delay, jitter, loss, duplication, corruption,
/// reordering (netem; loss through nftables where the kernel has no netem), or a partition until -Heal
/// (`tc qdisc replace dev LINK root tbf|netem …`).
/// </summary>
[Cmdlet(VerbsCommon.Set, "NetNsLinkImpairment", SupportsShouldProcess = true, DefaultParameterSetName = ImpairSet)]
[OutputType(typeof(NetNsLinkImpairment))]
public sealed class SetNetNsLinkImpairmentCommand : NetNsCmdlet
{
    /// <summary>Parameter set: rate, delay, loss and the rest.</summary>
    public const string ImpairSet = "Impair";

    /// <summary>Parameter set: -Partition.</summary>
    public const string PartitionSet = "Partition";

    /// <summary>Parameter set: -Heal.</summary>
    public const string HealSet = "Heal";

    /// <summary>The link's namespace; the caller's own when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [NamespaceTransformation]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public NamespaceRef? Namespace { get; set; }

    /// <summary>The link whose egress is impaired.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("InterfaceAlias")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LinkNameCompleter))]
    [ObjectNameTransformation("Namespace", "Name", "InterfaceAlias")]
    public string Name { get; set; } = "";

    /// <summary>The rate: '10mbit', '1gbit', '500kbit' (tc's units) or bits per second.</summary>
    [Parameter(ParameterSetName = ImpairSet)]
    [RateValueTransformation]
    public ulong Rate { get; set; }

    /// <summary>The token bucket in bytes (default: 10 ms at the rate, at least 16 KiB).</summary>
    [Parameter(ParameterSetName = ImpairSet)]
    [ValidateRange(1600, int.MaxValue)]
    public uint Burst { get; set; }

    /// <summary>Added delay: '20ms', '1.5s', a number of milliseconds, or a TimeSpan (needs netem).</summary>
    [Parameter(ParameterSetName = ImpairSet)]
    [TimeValueTransformation]
    public TimeSpan Delay { get; set; }

    /// <summary>Jitter around the delay (needs netem).</summary>
    [Parameter(ParameterSetName = ImpairSet)]
    [TimeValueTransformation]
    public TimeSpan Jitter { get; set; }

    /// <summary>Share of packets lost, in percent (netem, or nftables where netem is missing).</summary>
    [Parameter(ParameterSetName = ImpairSet)]
    [ValidateRange(0.0, 100.0)]
    public double Loss { get; set; }

    /// <summary>Share of packets duplicated, in percent (needs netem).</summary>
    [Parameter(ParameterSetName = ImpairSet)]
    [ValidateRange(0.0, 100.0)]
    public double Duplicate { get; set; }

    /// <summary>Share of packets corrupted, in percent (needs netem).</summary>
    [Parameter(ParameterSetName = ImpairSet)]
    [ValidateRange(0.0, 100.0)]
    public double Corrupt { get; set; }

    /// <summary>Share of packets reordered, in percent (needs netem and a delay).</summary>
    [Parameter(ParameterSetName = ImpairSet)]
    [ValidateRange(0.0, 100.0)]
    public double Reorder { get; set; }

    /// <summary>The queue's length in packets.</summary>
    [Parameter(ParameterSetName = ImpairSet)]
    [ValidateRange(1, int.MaxValue)]
    public uint Limit { get; set; }

    /// <summary>Drop everything both ways until -Heal; what is set stays for the heal to bring back.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PartitionSet)]
    public SwitchParameter Partition { get; set; }

    /// <summary>End a partition; the impairment set before it holds again.</summary>
    [Parameter(Mandatory = true, ParameterSetName = HealSet)]
    public SwitchParameter Heal { get; set; }

    /// <summary>Write the link's impairment to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessItem()
    {
        string action = Partition ? "Partition link" : Heal ? "Heal link" : "Impair link: " + Spec();
        if (!ShouldChange(Describe(Name, Namespace), action))
            return;
        Try(Name, () =>
        {
            var rtnl = Rtnl(Namespace);
            if (Partition)
                LinkShaper.Partition(rtnl, Name);
            else if (Heal)
                LinkShaper.Heal(rtnl, Name);
            else
                LinkShaper.Set(rtnl, Name, Spec());
            if (PassThru)
                WriteObject(LinkShaper.Get(rtnl, Name));
        });
    }

    private bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

    private LinkImpairmentSpec Spec() => new()
    {
        RateBitsPerSecond = Bound(nameof(Rate)) ? Rate : null,
        BurstBytes = Bound(nameof(Burst)) ? Burst : null,
        Delay = Bound(nameof(Delay)) ? Delay : null,
        Jitter = Bound(nameof(Jitter)) ? Jitter : null,
        Loss = Bound(nameof(Loss)) ? Loss : null,
        Duplicate = Bound(nameof(Duplicate)) ? Duplicate : null,
        Corrupt = Bound(nameof(Corrupt)) ? Corrupt : null,
        Reorder = Bound(nameof(Reorder)) ? Reorder : null,
        Limit = Bound(nameof(Limit)) ? Limit : null,
    };
}
