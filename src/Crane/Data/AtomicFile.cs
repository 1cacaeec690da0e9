namespace Crane.Data;

/// <summary>
/// Writes files so a reader never sees half of one: write a temporary file beside the target,
/// flush it to disk, then rename over the target. A failed write leaves the old file (or none).
/// The one home of this rule for every writer (datasets, run folders, model files).
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Runs <paramref name="write"/> into a temporary file and renames it to <paramref name="path"/>
    /// (replacing it). The stream is readable too, for writers that checksum what they wrote.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = TempName(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Writes text lines atomically (UTF-8, LF endings).</summary>
    public static void WriteLines(string path, IEnumerable<string> lines) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        foreach (var line in lines) writer.WriteLine(line);
    });

    /// <summary>Writes UTF-8 text (no byte-order mark) atomically.</summary>
    public static void WriteText(string path, string text) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.Write(text);
    });

    /// <summary>A unique name beside <paramref name="fullPath"/> that ordinary globs (*.npy, *.inter) do not match.</summary>
    public static string TempName(string fullPath) => $"{fullPath}.{Guid.NewGuid():N}.tmp";

    /// <summary>The file a <see cref="TempName"/> was on its way to (its name without the ".guid.tmp"); any other name unchanged.</summary>
    public static string TargetName(string name)
    {
        if (!name.EndsWith(".tmp", StringComparison.Ordinal)) return name;
        int dot = name.LastIndexOf('.', name.Length - 5);
        return dot > 0 ? name[..dot] : name;
    }
}
