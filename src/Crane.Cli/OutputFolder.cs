using Crane.Data;

namespace Crane.Cli;

/// <summary>
/// The <c>--out</c> folder of <c>train</c> and <c>prepare</c>, checked before any work: a file
/// there, or a folder that already holds something, is refused unless <c>--overwrite</c>, so no
/// earlier result is mixed with or replaced by a new one without asking. Even then only a folder
/// of the verb's own kind (a run folder, a dataset folder) is replaced: --overwrite never deletes
/// files the verb did not write.
/// </summary>
internal static class OutputFolder
{
    /// <summary>The option every writing verb takes.</summary>
    public static System.CommandLine.Option<bool> OverwriteOption() =>
        new("--overwrite") { Description = "Replace what the --out folder already holds (refused by default)." };

    /// <summary>
    /// Throws, naming the folder and what is in it, unless it is free, or <paramref name="overwrite"/>
    /// is set and every entry is one <paramref name="ours"/> accepts (the files a <paramref name="kind"/> holds).
    /// </summary>
    public static void Check(string path, bool overwrite, Func<string, bool> ours, string kind)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full)) throw new DataException(full, null, "is a file; --out names a folder to write.");
        if (!Directory.Exists(full)) return;
        var entries = Directory.EnumerateFileSystemEntries(full).Select(e => Path.GetFileName(e)!).Order(StringComparer.Ordinal).ToArray();
        if (entries.Length == 0) return;
        if (!overwrite)
            throw new DataException(full, null, $"is not empty ({Listed(entries)}); choose another --out, or pass --overwrite to replace it.");
        var foreign = entries.Where(e => !ours(e)).ToArray();
        if (foreign.Length > 0)
            throw new DataException(full, null, $"holds what a {kind} does not ({Listed(foreign)}), so it will not be written into; choose another --out.");
    }

    static string Listed(string[] entries) =>
        $"{entries.Length} entr{(entries.Length == 1 ? "y" : "ies")}: {string.Join(", ", entries.Take(4))}{(entries.Length > 4 ? ", …" : "")}";
}
