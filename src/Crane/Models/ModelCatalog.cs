using Crane.Data;

namespace Crane.Models;

/// <summary>Every model by name: how to build one for a dataset.</summary>
public static class ModelCatalog
{
    /// <summary>Names users can pass to --model.</summary>
    public static IReadOnlyList<string> Names => throw new NotImplementedException("Contract only.");

    /// <summary>
    /// A freshly initialised model. Reads its hyper-parameters from <paramref name="settings"/>
    /// (and rejects unknown keys); all randomness comes from <paramref name="seed"/>.
    /// </summary>
    public static Recommender Create(string name, Dataset data, ModelSettings settings, ulong seed) =>
        throw new NotImplementedException("Contract only.");
}
