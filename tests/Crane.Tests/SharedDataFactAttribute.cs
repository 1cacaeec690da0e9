namespace Crane.Tests;

/// <summary>
/// A fact that reads files from the shared data folder (paths relative to it, e.g.
/// "data/amazon-baby/baby.inter"); it is skipped, with the reason shown, when any is absent.
/// </summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(params string[] sharedPaths)
    {
        var missing = sharedPaths.Where(p => SharedFiles.Find(p) is null).ToArray();
        if (missing.Length > 0)
            Skip = $"Shared data absent: {string.Join(", ", missing)} (looked for shared/ in the repository root and each folder above it).";
    }
}
