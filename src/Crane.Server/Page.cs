namespace Crane.Server;

/// <summary>The page at <c>/</c>: one HTML file with its script, embedded in the assembly.</summary>
internal static class Page
{
    /// <summary>The page's HTML.</summary>
    public static string Html { get; } = Read();

    static string Read()
    {
        using var stream = typeof(Page).Assembly.GetManifestResourceStream("Crane.Server.index.html")
            ?? throw new InvalidOperationException("The page (index.html) is missing from the Crane.Server assembly.");
        return new StreamReader(stream).ReadToEnd();
    }
}
