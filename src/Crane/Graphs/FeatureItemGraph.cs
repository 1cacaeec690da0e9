using Crane.Numerics;

namespace Crane.Graphs;

/// <summary>
/// The frozen item–item graph FREEDOM, crane-released and LATTICE build once from the raw item
/// features (baselines.md, shared pieces): per modality, each item's k nearest items by cosine
/// (self included), binary, every kept entry 1/k (row-normalised, directed, not symmetrised);
/// the per-modality graphs mixed with fixed weights, S = Σₘ wₘ·Sₘ. Built block-wise through
/// <see cref="NearestNeighbors.Cosine"/>: memory O(N·k), never N×N.
/// </summary>
public static class FeatureItemGraph
{
    /// <summary>MMRec's knn_k.</summary>
    public const int DefaultK = 10;

    /// <summary>
    /// Sₘ for one feature table: row i holds 1/k at each of its k nearest rows by cosine, itself
    /// included (MMRec computes D^{-1/2} A D^{-1/2} with every row degree k, which is 1/k).
    /// </summary>
    public static CsrMatrix Knn(Tensor features, int k = DefaultK) => Mixed([(features, 1f)], k);

    /// <summary>
    /// S = Σₘ wₘ·Sₘ over the given (features, weight) pairs, e.g. 0.1·S_image + 0.9·S_text. An
    /// item that is a neighbour in several modalities gets the sum of their entries.
    /// </summary>
    public static CsrMatrix Mixed(IReadOnlyList<(Tensor Features, float Weight)> modalities, int k = DefaultK)
    {
        if (modalities.Count == 0) throw new ArgumentException("The item graph needs at least one modality.", nameof(modalities));
        int n = modalities[0].Features.Rows;
        foreach (var (features, _) in modalities)
            if (features.Rows != n)
                throw new ArgumentException($"Every modality needs one row per item: {string.Join(", ", modalities.Select(m => m.Features.ShapeText))}.", nameof(modalities));
        int entries = checked(modalities.Count * n * k);
        var rows = new int[entries];
        var cols = new int[entries];
        var values = new float[entries];
        int p = 0;
        foreach (var (features, weight) in modalities)
        {
            var table = NearestNeighbors.Cosine(features, k, includeSelf: true);
            float value = weight * (1f / k);
            for (int q = 0; q < table.Neighbors.Length; q++, p++)
                (rows[p], cols[p], values[p]) = (q / k, table.Neighbors[q], value);
        }
        return CsrMatrix.FromCoo(n, n, rows, cols, values);
    }
}
