using System.Text;

namespace NetNs.Core;

/// <summary>Checks names before anything is touched, with the reason in the error.</summary>
public static class Names
{
    /// <summary>IFNAMSIZ - 1 (linux/if.h): the longest interface name, in bytes.</summary>
    public const int MaxInterfaceNameBytes = 15;

    /// <summary>NAME_MAX (linux/limits.h): the longest file name under /run/netns, in bytes.</summary>
    public const int MaxNamespaceNameBytes = 255;

    /// <summary>
    /// An interface name as the kernel's dev_valid_name() accepts it: 1–15 bytes, not "." or "..",
    /// no '/', ':', white space or NUL; and, for NetNs, not starting with '-' (ip would read it as an option).
    /// </summary>
    public static string? InterfaceNameError(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "an interface name cannot be empty";
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxInterfaceNameBytes)
            return $"interface name '{Printable(name)}' is {bytes} bytes long; the kernel allows at most {MaxInterfaceNameBytes}";
        if (name is "." or "..")
            return $"interface name '{name}' is not allowed";
        if (name[0] == '-')
            return $"interface name '{Printable(name)}' starts with '-', which ip and other tools would read as an option";
        foreach (char c in name)
        {
            if (c == '/' || c == ':' || c == '\0' || char.IsWhiteSpace(c))
                return $"interface name '{Printable(name)}' contains '{Printable(c.ToString())}', which the kernel does not allow";
        }
        return null;
    }

    /// <summary>
    /// A namespace name as a file name under /run/netns: 1–255 bytes, not "." or "..", no '/', NUL or control
    /// characters, and not starting with '-' (`ip netns del -all` deletes every namespace).
    /// </summary>
    public static string? NamespaceNameError(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "a namespace name cannot be empty";
        if (name is "." or "..")
            return $"namespace name '{name}' is not allowed";
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxNamespaceNameBytes)
            return $"namespace name is {bytes} bytes long; at most {MaxNamespaceNameBytes} are allowed";
        if (name[0] == '-')
            return $"namespace name '{Printable(name)}' starts with '-', which ip would read as an option (ip netns delete -all deletes every namespace)";
        foreach (char c in name)
        {
            if (c == '/' || c == '\0' || char.IsControl(c))
                return $"namespace name '{Printable(name)}' contains '{Printable(c.ToString())}', which is not allowed";
        }
        return null;
    }

    /// <summary>
    /// What a name NetNs makes (a namespace, a link, a network, a lab) must also avoid, beyond what the kernel refuses:
    /// the wildcard characters * ? [ ] (every Get-/Remove- cmdlet expands them, so such a name could never be named
    /// alone), white space at either end (invisible in every table), and ':' in a namespace name (NetNs's tags and
    /// `container:NAME` words use it). Names made by other tools stay readable and removable.
    /// </summary>
    public static string? NewNameError(string? name, string what)
    {
        if (string.IsNullOrEmpty(name))
            return null; // the kind's own check says so
        if (name.IndexOfAny(['*', '?', '[', ']']) is int w and >= 0)
            return $"{what} name '{Printable(name)}' contains '{name[w]}', a wildcard: every Get- and Remove- cmdlet would read it as a pattern";
        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
            return $"{what} name '{Printable(name)}' begins or ends with white space";
        if (what == "namespace" && name.Contains(':'))
            return $"namespace name '{Printable(name)}' contains ':', which NetNs's tags use as a separator";
        return null;
    }

    /// <summary>Throws InvalidArgument when a name about to be made fails the kind's check or <see cref="NewNameError"/>.</summary>
    public static string CheckNewInterfaceName(string? name, string operation)
    {
        CheckInterfaceName(name, operation);
        return NewNameError(name, "interface") is string e ? throw NetNsException.Invalid(operation, name!, e) : name!;
    }

    /// <summary>Throws InvalidArgument when a namespace name about to be made fails <see cref="NamespaceNameError"/> or <see cref="NewNameError"/>.</summary>
    public static string CheckNewNamespaceName(string? name, string operation)
    {
        CheckNamespaceName(name, operation);
        return NewNameError(name, "namespace") is string e ? throw NetNsException.Invalid(operation, name!, e) : name!;
    }

    /// <summary>Throws InvalidArgument when <see cref="InterfaceNameError"/> finds a problem.</summary>
    public static string CheckInterfaceName(string? name, string operation = "use link")
    {
        string? error = InterfaceNameError(name);
        return error is null ? name! : throw NetNsException.Invalid(operation, name ?? "", error);
    }

    /// <summary>Throws InvalidArgument when <see cref="NamespaceNameError"/> finds a problem.</summary>
    public static string CheckNamespaceName(string? name, string operation = "use namespace")
    {
        string? error = NamespaceNameError(name);
        return error is null ? name! : throw NetNsException.Invalid(operation, name ?? "", error);
    }

    private static string Printable(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
            sb.Append(char.IsControl(c) || c == '\0' ? $"\\x{(int)c:x2}" : c.ToString());
        return sb.ToString();
    }
}
