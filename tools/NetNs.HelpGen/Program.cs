using NetNs.HelpGen;

// Usage: NetNs.HelpGen <docs directory> <output NetNs.dll-Help.xml>
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: NetNs.HelpGen <docs-dir> <output-help.xml>");
    return 2;
}

string docs = args[0], output = args[1];
var files = Directory.GetFiles(docs, "*-*.md").Order(StringComparer.Ordinal).ToList();
if (files.Count == 0)
{
    Console.Error.WriteLine($"{docs}: no cmdlet help (*-*.md) found");
    return 1;
}

var commands = new List<CommandHelp>();
var errors = new List<string>();
foreach (string file in files)
{
    try
    {
        commands.Add(MarkdownHelp.Parse(file, File.ReadAllText(file)));
    }
    catch (FormatException e)
    {
        errors.Add(e.Message);
    }
}
if (errors.Count > 0)
{
    foreach (string e in errors)
        Console.Error.WriteLine($"error: {e}");
    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
MamlWriter.Write(commands).Save(output);
Console.WriteLine($"NetNs.HelpGen: {commands.Count} commands -> {output}");
return 0;
