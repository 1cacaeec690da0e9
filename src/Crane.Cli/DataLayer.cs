using Crane.Data;

namespace Crane.Cli;

/// <summary>What <c>crane prepare</c> asks of the Data layer.</summary>
/// <param name="Input">The raw interactions file (CSV or TSV with a header).</param>
/// <param name="UserColumn">Column of the raw user id.</param>
/// <param name="ItemColumn">Column of the raw item id.</param>
/// <param name="RatingColumn">Optional rating column.</param>
/// <param name="MinRating">Keep only rows rated at least this.</param>
/// <param name="TimestampColumn">Optional timestamp column.</param>
/// <param name="Features">Per-item feature files keyed by raw item id: modality name → file.</param>
/// <param name="KCore">k of the k-core filter (0 = none).</param>
/// <param name="Seed">Seed of the per-user split shuffle.</param>
/// <param name="Output">The MMRec-layout folder to write.</param>
/// <param name="Overwrite">Replace the folder when it exists.</param>
/// <param name="Name">The dataset's name (its .inter file's).</param>
internal sealed record PrepareRequest(string Input, string UserColumn, string ItemColumn, string? RatingColumn, float? MinRating, string? TimestampColumn,
    IReadOnlyDictionary<string, string> Features, int KCore, ulong Seed, string Output, bool Overwrite, string Name);

/// <summary>The CLI's calls into the Data layer, with its warnings and notes printed as log lines.</summary>
internal static class DataLayer
{
    /// <summary>
    /// Reads an MMRec-layout folder, with extra modality files (name → .npy) on top of those found
    /// there; its warnings go to stderr and are returned for the run's log.
    /// </summary>
    public static (Dataset Data, IReadOnlyList<string> Warnings) Load(string folder, IReadOnlyDictionary<string, string> modalityFiles, bool allowSparseIds = false)
    {
        var (dataset, warnings) = DatasetReader.Load(folder, modalityFiles, allowSparseIds);
        foreach (var warning in warnings) Console.Error.WriteLine($"warning: {warning}");   // stderr: stdout may be a table or data
        return (dataset, warnings);
    }

    /// <summary>Runs prepare, writes the folder, and returns a one-line summary of what was written.</summary>
    public static string Prepare(PrepareRequest request)
    {
        var result = DatasetPreparer.Prepare(new PrepareOptions
        {
            InteractionsFile = request.Input,
            Name = request.Name,
            UserColumn = request.UserColumn,
            ItemColumn = request.ItemColumn,
            RatingColumn = request.RatingColumn ?? "rating",
            MinRating = request.MinRating,
            TimestampColumn = request.TimestampColumn ?? "timestamp",
            FeatureFiles = request.Features,
            KCore = request.KCore,
            Seed = request.Seed,
        });
        foreach (var note in result.Notes) ConsoleProgress.Log(note);
        DatasetWriter.Write(result.Dataset, request.Output, request.Overwrite);
        var d = result.Dataset;
        return FormattableString.Invariant(
            $"wrote {request.Output}: {d.UserCount:N0} users, {d.ItemCount:N0} items; {d.Train.Count:N0} train, {d.Valid.Count:N0} valid, {d.Test.Count:N0} test interactions; modalities: {(d.Modalities.Count == 0 ? "none" : string.Join(", ", d.Modalities.Keys))}");
    }

    /// <summary>The demo's small synthetic dataset (planted clusters, image and text modalities).</summary>
    public static Dataset Synthetic(ulong seed) => SyntheticGenerator.Generate(SyntheticOptions.Demo with { Seed = seed });
}
