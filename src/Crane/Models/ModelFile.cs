using Crane.Data;

namespace Crane.Models;

/// <summary>A model loaded from a file, with the data it was trained on and its settings.</summary>
/// <param name="Model">The model, ready to score.</param>
/// <param name="Data">The dataset stored in the file (interactions of every split, id maps, the modalities the model uses).</param>
/// <param name="Settings">The model's fully resolved settings.</param>
/// <param name="Seed">The seed it was trained with.</param>
public sealed record LoadedModel(Recommender Model, Dataset Data, IReadOnlyDictionary<string, string> Settings, ulong Seed);

/// <summary>
/// The saved-model file: one versioned file with the model kind, resolved settings, parameters and
/// the dataset pieces scoring needs (id maps, interactions). Written to a temporary name and renamed.
/// </summary>
public static class ModelFile
{
    /// <summary>The format version this build writes; files from a newer version are refused.</summary>
    public const int FormatVersion = 1;

    /// <summary>Saves atomically (temporary file + rename).</summary>
    public static void Save(string path, Recommender model, Dataset data, IReadOnlyDictionary<string, string> settings, ulong seed) =>
        throw new NotImplementedException("Contract only.");

    /// <summary>Loads a model; a corrupt file or one from a newer format gets a clear error.</summary>
    public static LoadedModel Load(string path) => throw new NotImplementedException("Contract only.");
}
