namespace NetNs.Core;

/// <summary>
/// Files under /run/netns with no namespace mounted on them: what `ip netns add` or New-NetNamespace leaves when it
/// is killed between creating the mount point and binding the namespace onto it. That cannot be made atomic (the
/// kernel refuses to rename a mount point, EBUSY), so such leftovers are shown (State Stale), removable, and taken
/// over by the next creation of that name.
/// </summary>
internal static class StaleMountPoints
{
    /// <summary>Whether anything is mounted on <paramref name="path"/> in this thread's mount namespace.</summary>
    public static bool IsMountPoint(string path) => MountInfo.Read().Any(m => m.MountPoint == path);

    /// <summary>
    /// Whether <paramref name="path"/> is a mount point a crashed creation left: an empty regular file with mode 0
    /// (as ip and NetNs create it), with nothing mounted on it. Call it under /run/netns's lock, which every creator
    /// (iproute2 too) holds while it makes one, so a file that looks like this is not one being made right now.
    /// </summary>
    public static bool IsLeftover(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length == 0 && (info.Attributes & FileAttributes.Directory) == 0
                && !OperatingSystem.IsWindows() && File.GetUnixFileMode(path) == 0 && !IsMountPoint(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
