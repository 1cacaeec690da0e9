namespace Crane.Tests;

/// <summary>Files tests keep for a person to look at (screenshots): in artifacts/ at the repository root, or CRANE_ARTIFACTS.</summary>
public static class Artefacts
{
    /// <summary>The path for an artefact named <paramref name="name"/>; its folder exists.</summary>
    public static string PathOf(string name)
    {
        var folder = Environment.GetEnvironmentVariable("CRANE_ARTIFACTS") ?? Path.Combine(SharedFiles.RepoRoot()?.FullName ?? AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
