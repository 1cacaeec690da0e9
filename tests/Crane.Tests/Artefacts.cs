namespace Crane.Tests;

/// <summary>Files tests keep for a person to look at (screenshots): in artifacts/ at the repository root, or CRANE_ARTIFACTS.</summary>
public static class Artefacts
{
    /// <summary>The path for an artefact named <paramref name="name"/>; its folder exists.</summary>
    public static string PathOf(string name)
    {
        var folder = Environment.GetEnvironmentVariable("CRANE_ARTIFACTS") ?? Path.Combine(RepositoryRoot(), "artifacts");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Crane.slnx"))) return dir.FullName;
        return AppContext.BaseDirectory;
    }
}
