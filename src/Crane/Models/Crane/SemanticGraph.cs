using Crane.Autograd;
using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// CRANE's item–item semantic graph (crane-spec.md §2.5): every item's k nearest items by cosine
/// of the refined representation Z_I (self excluded), found block-wise on detached Z, then
/// symmetrised as the union of both directions. The structure is fixed between refreshes; the
/// edge weights are recomputed from the live Z at every step (cosine clipped at 0) and
/// normalised D^{-1/2} S D^{-1/2} with the degrees of those weights, all differentiable.
/// </summary>
internal sealed class SemanticGraph
{
    /// <summary>The directed kNN lists (k per item, most similar first).</summary>
    public NeighborTable Neighbors { get; }

    /// <summary>The symmetrised N×N pattern (values unused).</summary>
    public CsrMatrix Structure { get; }

    readonly int[] _edgeRows;

    SemanticGraph(NeighborTable neighbors, CsrMatrix structure)
    {
        Neighbors = neighbors;
        Structure = structure;
        _edgeRows = EdgeWeights.RowOfEachEntry(structure);
    }

    /// <summary>The graph of the rows of <paramref name="itemRepresentation"/> (detached Z_I).</summary>
    public static SemanticGraph Build(Tensor itemRepresentation, int k)
    {
        int n = itemRepresentation.Rows;
        var knn = NearestNeighbors.Cosine(itemRepresentation, Math.Min(k, n - 1), includeSelf: false);
        var rows = new int[2 * knn.Neighbors.Length];
        var cols = new int[rows.Length];
        for (int p = 0; p < knn.Neighbors.Length; p++)
        {
            int i = p / knn.K, j = knn.Neighbors[p];
            (rows[2 * p], cols[2 * p]) = (i, j);
            (rows[2 * p + 1], cols[2 * p + 1]) = (j, i);
        }
        // FromCoo sums a pair found in both directions; only the pattern is kept (the union).
        var summed = CsrMatrix.FromCoo(n, n, rows, cols, new float[rows.Length]);
        return new SemanticGraph(knn, summed);
    }

    /// <summary>
    /// S̃ = D^{-1/2} S D^{-1/2} as 1×nnz weights in the structure's order, with
    /// S_ij = max(0, cos(z_i, z_j)) from the live <paramref name="zItems"/> and D = row sums of S
    /// (+1e-7, as Â). Differentiable in Z through the weights and the degrees.
    /// </summary>
    public Variable NormalizedWeights(Variable zItems)
    {
        var s = Ops.Relu(EdgeWeights.Cosine(zItems, _edgeRows, Structure.ColIdx));   // nnz×1
        return Ops.Transpose(EdgeWeights.SymmetricNormalize(Structure, _edgeRows, s));
    }

    /// <summary>One layer, S̃·s, with S̃'s <paramref name="weights"/> from <see cref="NormalizedWeights"/>.</summary>
    public Variable Step(Variable weights, Variable s) => Ops.SpMM(Structure, weights, s);
}
