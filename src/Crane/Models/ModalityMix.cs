using System.Globalization;
using Crane.Data;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// The <c>modalities</c> and <c>modality_weights</c> settings of the models that mix per-modality
/// raw-feature item graphs with fixed weights (FREEDOM, crane-released, DGVAE): the chosen
/// modality names, their feature tables, and one finite weight per modality.
/// </summary>
internal sealed record ModalityMix(string[] Modalities, Tensor[] Features, float[] Weights)
{
    /// <summary>
    /// The mix the two settings' texts name; a modality the dataset lacks or a weight list of the
    /// wrong length is an <see cref="ArgumentException"/> naming the values.
    /// </summary>
    public static ModalityMix Of(Dataset data, string modalityList, string weightList, string model)
    {
        var modalities = modalityList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var weights = ParseWeights(weightList, modalities.Length);
        var missing = modalities.Where(m => !data.Modalities.ContainsKey(m)).ToArray();
        if (modalities.Length == 0 || missing.Length > 0)
            throw new ArgumentException(
                $"Model '{model}' reads the modalities {string.Join(", ", modalities)} (choose them with --set modalities=a,b and their graph weights with --set modality_weights=wa,wb), " +
                $"but dataset '{data.Name}' has {(data.Modalities.Count == 0 ? "none" : string.Join(", ", data.Modalities.Keys))}.");
        return new ModalityMix(modalities, modalities.Select(m => data.Modalities[m]).ToArray(), weights);
    }

    /// <summary>(features, weight) pairs for <see cref="Graphs.FeatureItemGraph.Mixed"/>.</summary>
    public (Tensor Features, float Weight)[] Pairs => Features.Zip(Weights).ToArray();

    static float[] ParseWeights(string text, int modalities)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var weights = new float[parts.Length];
        for (int m = 0; m < parts.Length; m++)
            if (!float.TryParse(parts[m], NumberStyles.Float, CultureInfo.InvariantCulture, out weights[m]) || !float.IsFinite(weights[m]))
                throw new ArgumentException($"Setting modality_weights={text}: '{parts[m]}' is not a number.");
        if (weights.Length != modalities)
            throw new ArgumentException($"Setting modality_weights={text} needs one weight per modality ({modalities}).");
        return weights;
    }
}
