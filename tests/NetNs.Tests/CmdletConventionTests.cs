using System.Reflection;
using static NetNs.Tests.CmdletMetadata;

namespace NetNs.Tests;

public class CmdletConventionTests
{
    // PowerShell's approved verbs (VerbsCommon, VerbsData, VerbsLifecycle, VerbsDiagnostic,
    // VerbsCommunications, VerbsSecurity, VerbsOther), as Get-Verb lists them in pwsh 7.6.
    private static readonly HashSet<string> ApprovedVerbs = new(StringComparer.Ordinal)
    {
        "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move", "New",
        "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select", "Set", "Show",
        "Skip", "Split", "Step", "Switch", "Undo", "Unlock", "Watch",
        "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit", "Expand",
        "Export", "Group", "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore", "Save", "Sync",
        "Unpublish", "Update",
        "Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable", "Install", "Invoke",
        "Register", "Request", "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall", "Unregister", "Wait",
        "Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace",
        "Connect", "Disconnect", "Read", "Receive", "Send", "Write",
        "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect",
        "Use",
    };

    // Verbs whose cmdlets change system state, so they must support -WhatIf and -Confirm.
    private static readonly HashSet<string> ChangingVerbs = new(StringComparer.Ordinal)
    {
        "Add", "Clear", "Copy", "Disable", "Enable", "Install", "Mount", "Dismount", "Move", "New", "Register", "Remove",
        "Rename", "Reset", "Restart", "Set", "Start", "Stop", "Uninstall", "Unregister", "Update",
    };

    public static TheoryData<string> CmdletNames() => [.. AllCmdlets.Select(c => c.Name)];

    [Fact]
    public void ReadsTheRealAttributeValues()
    {
        // Guards the premise: if CustomAttributeData were not read, every value would be a default.
        var c = Cmdlet("Remove-NetNamespace");
        Assert.True(c.SupportsShouldProcess);
        Assert.True(c.Parameter("Name")!.Mandatory);
        Assert.Equal(0, c.Parameter("Name")!.Position);
        Assert.True(AllCmdlets.Count >= 19, $"only {AllCmdlets.Count} cmdlet classes found");
    }

    [Fact]
    public void ManifestExportsExactlyTheCmdletClasses()
    {
        var exported = ManifestCmdlets();
        Assert.Equal(exported.Count, exported.Distinct().Count());
        Assert.Equal(AllCmdlets.Select(c => c.Name).Order(StringComparer.Ordinal), exported.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void CmdletClassIsSealedAndNamedVerbNounCommand(string name)
    {
        var c = Cmdlet(name);
        Assert.True(c.Type.IsSealed, $"{c.Type.Name} is not sealed");
        Assert.True(c.Type.IsPublic, $"{c.Type.Name} is not public");
        Assert.Equal(c.Verb + c.Noun + "Command", c.Type.Name);
        Assert.Contains(c.Verb, ApprovedVerbs);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void CmdletDeclaresOutputType(string name)
    {
        var c = Cmdlet(name);
        var output = Attrs(c.Type, "OutputTypeAttribute").SelectMany(CtorValues).ToList();
        Assert.NotEmpty(output);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void ChangingCmdletsSupportShouldProcess(string name)
    {
        var c = Cmdlet(name);
        if (ChangingVerbs.Contains(c.Verb))
            Assert.True(c.SupportsShouldProcess, $"{name} changes the system but has no SupportsShouldProcess = true");
    }

    // The base's ProcessRecord refuses a namespace that came empty from the pipeline, then runs ProcessItem: a changing
    // cmdlet that takes a namespace and overrides ProcessRecord itself would skip that check.
    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void ChangingCmdletsWithANamespaceLeaveProcessRecordToTheBase(string name)
    {
        var c = Cmdlet(name);
        if (!c.SupportsShouldProcess || !c.Parameters.Any(p => p.Type == typeof(Core.NamespaceRef)))
            return;
        var processRecord = c.Type.GetMethod("ProcessRecord", BindingFlags.Instance | BindingFlags.NonPublic)!;
        Assert.True(processRecord.DeclaringType == typeof(global::NetNs.NetNsCmdlet),
            $"{name} overrides ProcessRecord: override ProcessItem, so an empty namespace from the pipeline is refused first");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void RemoveCmdletsHaveConfirmImpactMedium(string name)
    {
        var c = Cmdlet(name);
        if (c.Verb == "Remove")
            Assert.Equal((int)System.Management.Automation.ConfirmImpact.Medium, c.ConfirmImpact);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void AddAndSetCmdletsHavePassThru(string name)
    {
        var c = Cmdlet(name);
        if (c.Verb is not ("Add" or "Set"))
            return;
        var passThru = c.Parameter("PassThru");
        Assert.True(passThru is not null, $"{name} has no -PassThru");
        Assert.Equal(typeof(System.Management.Automation.SwitchParameter), passThru!.Type);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void ParameterSetNamesAreConstFields(string name)
    {
        var c = Cmdlet(name);
        var consts = c.Type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        var used = c.Parameters.Select(p => p.ParameterSetName).Where(s => s != AllSets).ToList();
        if (c.DefaultParameterSetName is { } d)
            used.Add(d);
        foreach (string set in used)
            Assert.True(consts.Contains(set), $"{name}: parameter set '{set}' is not a const field of {c.Type.Name}");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void NamespaceAndBridgeParametersHaveCompleters(string name)
    {
        foreach (var p in Cmdlet(name).Parameters)
        {
            if (p.Name is "Namespace" or "PeerNamespace" or "NewNamespace")
            {
                Assert.True(p.Completer == typeof(global::NetNs.NamespaceNameCompleter), $"{name} -{p.Name} has no NamespaceNameCompleter");
                Assert.True(p.HasNamespaceTransformation, $"{name} -{p.Name} has no [NamespaceTransformation]");
            }
            if (p.Name == "Bridge")
                Assert.True(p.Completer == typeof(global::NetNs.BridgeNameCompleter), $"{name} -Bridge has no BridgeNameCompleter");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void OutputTypesAreSealedWithToString(string name)
    {
        var c = Cmdlet(name);
        foreach (var t in Attrs(c.Type, "OutputTypeAttribute").SelectMany(CtorValues).OfType<Type>())
        {
            if (t.Assembly == typeof(object).Assembly || t.Namespace?.StartsWith("System.Management.Automation", StringComparison.Ordinal) == true)
                continue; // void, string, PSObject
            Assert.True(t.IsSealed, $"{t.Name} (output of {name}) is not sealed");
            Assert.Equal(t, t.GetMethod(nameof(ToString), Type.EmptyTypes)!.DeclaringType);
        }
    }
}
