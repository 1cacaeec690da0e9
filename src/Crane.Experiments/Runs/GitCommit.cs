using Crane.Training;

namespace Crane.Experiments;

/// <summary>
/// The commit a source tree is at, read from its .git files (no git process): HEAD, a loose ref,
/// or packed-refs; a worktree's ".git" file points at its own git folder, whose refs live in the
/// common folder.
/// </summary>
internal static class GitCommit
{
    /// <summary>The commit of the first git checkout at or above <paramref name="start"/>, or null.</summary>
    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var dotGit = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(dotGit)) return Read(dotGit);
            if (File.Exists(dotGit))
            {
                var line = File.ReadAllText(dotGit).Trim();
                return line.StartsWith("gitdir:", StringComparison.Ordinal)
                    ? Read(Path.GetFullPath(line["gitdir:".Length..].Trim(), dir.FullName))
                    : null;
            }
        }
        return null;
    }

    /// <summary>The commit HEAD names in the git folder <paramref name="gitDir"/>, or null.</summary>
    static string? Read(string gitDir)
    {
        try
        {
            var head = File.ReadAllText(Path.Combine(gitDir, "HEAD")).Trim();
            if (!head.StartsWith("ref:", StringComparison.Ordinal)) return IsSha(head) ? head : null;
            var reference = head["ref:".Length..].Trim();
            var common = Path.Combine(gitDir, "commondir");
            var commonDir = File.Exists(common) ? Path.GetFullPath(File.ReadAllText(common).Trim(), gitDir) : gitDir;
            foreach (var folder in new[] { gitDir, commonDir })
            {
                var loose = Path.Combine(folder, reference);
                if (File.Exists(loose)) return File.ReadAllText(loose).Trim();
            }
            var packed = Path.Combine(commonDir, "packed-refs");
            if (!File.Exists(packed)) return null;
            foreach (var line in File.ReadLines(packed))
            {
                var parts = line.Split(' ', 2);
                if (parts.Length == 2 && parts[1] == reference && IsSha(parts[0])) return parts[0];
            }
            return null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    static bool IsSha(string text) => text.Length >= 40 && text.All(Uri.IsHexDigit);
}
