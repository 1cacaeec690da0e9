using System.Reflection;
using System.Security.Cryptography;
using Crane.Training;

namespace Crane.Experiments;

/// <summary>
/// manifest.json: what produced a run — tool version and commit, the SHA-256 of every input file,
/// seed, threads, machine, start and end times, and what the model derived from its inputs
/// (<see cref="Models.Recommender.Provenance"/>, under "model", when it says anything).
/// </summary>
internal static class RunManifest
{
    /// <summary>The manifest as a JSON-ready tree.</summary>
    public static Dictionary<string, object?> Build(IReadOnlyList<Dictionary<string, object?>> inputs, ulong seed, int threads,
        DateTimeOffset started, DateTimeOffset? finished, string status, IReadOnlyDictionary<string, string>? model = null)
    {
        var library = typeof(RunManifest).Assembly;
        var manifest = new Dictionary<string, object?>
        {
            ["tool"] = Entry()?.GetName().Name ?? "crane",
            ["tool_version"] = Version(Entry() ?? library),
            ["library_version"] = Version(library),
            ["git_commit"] = GitCommit.Find(AppContext.BaseDirectory) ?? GitCommit.Find(Directory.GetCurrentDirectory()),
            ["inputs"] = inputs,
            ["seed"] = seed,
            ["threads"] = threads,
            ["machine"] = new Dictionary<string, object?>
            {
                ["name"] = Environment.MachineName,
                ["cores"] = Environment.ProcessorCount,
                ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            },
            ["started"] = started.ToString("O"),
            ["finished"] = finished?.ToString("O"),
            ["status"] = status,
        };
        if (model is { Count: > 0 }) manifest["model"] = new SortedDictionary<string, string>(model.ToDictionary(), StringComparer.Ordinal);
        return manifest;
    }

    /// <summary>Path, size and SHA-256 of each input file (read once, at the start of a run).</summary>
    public static IReadOnlyList<Dictionary<string, object?>> Inputs(IEnumerable<string> files) =>
        files.Select(path => new Dictionary<string, object?>
        {
            ["path"] = Path.GetFullPath(path),
            ["bytes"] = new FileInfo(path).Length,
            ["sha256"] = Sha256(path),
        }).ToList();

    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    // The test host or the crane tool; a library loaded by something unmanaged has none.
    static Assembly? Entry() => Assembly.GetEntryAssembly();

    static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
