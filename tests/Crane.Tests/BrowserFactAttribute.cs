namespace Crane.Tests;

/// <summary>
/// A fact that drives a real Chromium (Debian's <c>chromium</c> package, or the executable named
/// by CRANE_CHROMIUM); it is skipped, with the reason shown, where no such browser is installed.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>The browser the tests launch, or null when there is none.</summary>
    public static string? Chromium { get; } =
        new[] { Environment.GetEnvironmentVariable("CRANE_CHROMIUM"), "/usr/bin/chromium" }.FirstOrDefault(File.Exists);

    public BrowserFactAttribute()
    {
        if (Chromium is null)
            Skip = "No Chromium to drive: install Debian's chromium package (apt-get install chromium), or set CRANE_CHROMIUM to a Chromium executable.";
    }
}
