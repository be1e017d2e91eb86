using System.Management.Automation;
using NetNs.Core;

namespace NetNs;

/// <summary>Stops every packet capture still running when the module is removed (Remove-Module NetNs), completing their files.</summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    /// <inheritdoc/>
    public void OnRemove(PSModuleInfo psModuleInfo) => CaptureRegistry.StopAll();
}
