namespace Crane.Tests;

/// <summary>
/// Finds files in the shared folder that sits beside the repository (../shared from the repo root).
/// One home for tests and benchmarks: the bench project compiles this file too.
/// </summary>
internal static class SharedFiles
{
    /// <summary>
    /// The full path of <paramref name="sharedPath"/> under the first "shared" folder found in the
    /// repository root or one of its ancestors (a git worktree may sit a level deeper), or null.
    /// </summary>
    public static string? Find(string sharedPath)
    {
        for (var dir = RepoRoot(); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", sharedPath);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The repository root (the folder with Crane.slnx) above the running assembly or the current folder, or null.</summary>
    internal static DirectoryInfo? RepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Crane.slnx"))) return dir;
        return null;
    }
}
