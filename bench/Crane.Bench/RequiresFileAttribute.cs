namespace Crane.Bench;

/// <summary>
/// Marks a benchmark class that reads a shared data file (a path relative to the shared folder,
/// e.g. "data/amazon-baby/baby.inter"); Program skips the class with a message when it is absent.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RequiresFileAttribute(string sharedPath) : Attribute
{
    public string SharedPath { get; } = sharedPath;
}
