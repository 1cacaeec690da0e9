using Crane.Data;

namespace Crane.Cli;

/// <summary>What <c>crane prepare</c> asks of the Data layer.</summary>
/// <param name="Input">The raw interactions file (CSV or TSV with a header).</param>
/// <param name="UserColumn">Column of the raw user id.</param>
/// <param name="ItemColumn">Column of the raw item id.</param>
/// <param name="RatingColumn">Optional rating column.</param>
/// <param name="TimestampColumn">Optional timestamp column.</param>
/// <param name="Features">Per-item feature files keyed by raw item id: modality name → file.</param>
/// <param name="KCore">k of the k-core filter (0 = none).</param>
/// <param name="Seed">Seed of the per-user split shuffle.</param>
/// <param name="Output">The MMRec-layout folder to write.</param>
internal sealed record PrepareRequest(string Input, string UserColumn, string ItemColumn, string? RatingColumn, string? TimestampColumn,
    IReadOnlyDictionary<string, string> Features, int KCore, ulong Seed, string Output);

/// <summary>
/// The CLI's only calls into the Data layer (readers, prepare, synthetic generator), in one place
/// because that layer is being written on another branch: at the merge each body becomes a call
/// to its real API. Until then they say so.
/// </summary>
internal static class DataLayer
{
    const string Pending = "The Data layer is not merged into this build yet.";

    /// <summary>Reads an MMRec-layout folder, with extra modality files (name → .npy) on top of those found there.</summary>
    public static Dataset Load(string folder, IReadOnlyDictionary<string, string> modalityFiles) =>
        throw new NotImplementedException(Pending);

    /// <summary>Runs prepare and returns a one-line summary of what was written.</summary>
    public static string Prepare(PrepareRequest request) =>
        throw new NotImplementedException(Pending);

    /// <summary>The demo's small synthetic dataset (planted clusters, image and text modalities).</summary>
    public static Dataset Synthetic(ulong seed) =>
        throw new NotImplementedException(Pending);
}
