using Crane.Autograd;
using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// LATTICE's item–item graph (baselines.md), sparse throughout (N·k entries per modality and
/// graph, never N×N): the original graphs S⁰_m = Lsym(kNN(cos(X_m))) built once from the raw
/// features, and at each build the learned graphs S_m = kNN(cos(P_m)) of the projected features
/// P_m, both with the cosine values kept (self included), mixed as
/// S = (1−λ)·Lsym(Σ_m w_m S_m) + λ·Σ_m w_m S⁰_m, with Lsym(M) = D^{-1/2} M D^{-1/2}, D = row sums
/// (an element-wise scale of the stored entries).
/// </summary>
internal sealed class LatticeItemGraph
{
    readonly int _k;
    readonly float _lambda;
    readonly CsrMatrix[] _original;   // S⁰_m, normalised, in CSR order

    /// <summary>The original graphs of <paramref name="rawFeatures"/> (one table per modality), k neighbours per item, λ = <paramref name="lambda"/>.</summary>
    public LatticeItemGraph(IReadOnlyList<Tensor> rawFeatures, int k, float lambda)
    {
        (_k, _lambda) = (k, lambda);
        _original = rawFeatures.Select(x =>
        {
            var knn = Knn(x);
            var s = Variable.Constant(new Tensor(knn.NonZeros, 1, knn.Values));
            return knn.WithValues(EdgeWeights.SymmetricNormalize(knn, EdgeWeights.RowOfEachEntry(knn), s).Value.Data);
        }).ToArray();
    }

    /// <summary>
    /// S for the projected features <paramref name="projected"/> (one N×d table per modality)
    /// and the modality weights <paramref name="w"/> (1×|𝓜|, already softmaxed): its pattern
    /// (the union of every learned and original graph) and its values as 1×nnz weights in that
    /// pattern's CSR order. With <paramref name="differentiable"/> the learned values are
    /// recomputed as cosines of the live rows, so gradient reaches the projections (and what
    /// they are made of) and w; otherwise the kNN's own cosines are used, without gradient.
    /// </summary>
    public (CsrMatrix Structure, Variable Weights) Build(IReadOnlyList<Variable> projected, Variable w, bool differentiable)
    {
        var learned = projected.Select(p => Knn(p.Value)).ToArray();
        var union = Union([.. learned, .. _original]);
        var edgeRows = EdgeWeights.RowOfEachEntry(union);
        var learnedValues = new Variable[learned.Length];
        var originalValues = new Variable[learned.Length];
        for (int m = 0; m < learned.Length; m++)
        {
            var wm = Ops.SliceColumns(w, m, 1);
            var s = differentiable
                ? EdgeWeights.Cosine(projected[m], EdgeWeights.RowOfEachEntry(learned[m]), learned[m].ColIdx)   // S_m's values, live
                : Variable.Constant(new Tensor(learned[m].NonZeros, 1, learned[m].Values));
            learnedValues[m] = Ops.Mul(s, wm);                                                                 // w_m·S_m
            originalValues[m] = Ops.Mul(Variable.Constant(new Tensor(_original[m].NonZeros, 1, _original[m].Values)), wm);   // w_m·S⁰_m
        }
        var mixedLearned = Place(union, learned, learnedValues);                                                    // Σ w_m S_m
        var mixedOriginal = Place(union, _original, originalValues);                                                // Σ w_m S⁰_m
        var graph = Ops.Add(Ops.Scale(EdgeWeights.SymmetricNormalize(union, edgeRows, mixedLearned), 1f - _lambda), Ops.Scale(mixedOriginal, _lambda));
        return (union, Ops.Transpose(graph));
    }

    /// <summary>kNN(cos(X)) with the similarities kept, self included, as CSR.</summary>
    CsrMatrix Knn(Tensor x)
    {
        var table = NearestNeighbors.Cosine(x, _k, includeSelf: true);
        var rows = new int[table.Neighbors.Length];
        for (int p = 0; p < rows.Length; p++) rows[p] = p / _k;
        return CsrMatrix.FromCoo(x.Rows, x.Rows, rows, table.Neighbors, table.Similarities);
    }

    /// <summary>The union of the patterns of <paramref name="graphs"/> (values zero).</summary>
    static CsrMatrix Union(IReadOnlyList<CsrMatrix> graphs)
    {
        int n = graphs[0].Rows, total = graphs.Sum(g => g.NonZeros);
        var rows = new int[total];
        var cols = new int[total];
        int q = 0;
        foreach (var g in graphs)
        {
            EdgeWeights.RowOfEachEntry(g).CopyTo(rows, q);
            g.ColIdx.CopyTo(cols, q);
            q += g.NonZeros;
        }
        return CsrMatrix.FromCoo(n, n, rows, cols, new float[total]);
    }

    /// <summary>
    /// Σ_g of each graph's values (nnz_g×1) placed at their entries of <paramref name="union"/>:
    /// one product with a constant 0/1 selection matrix (nnz_union × Σ nnz_g), so the gradient is
    /// a gather back to each graph's entries.
    /// </summary>
    static Variable Place(CsrMatrix union, IReadOnlyList<CsrMatrix> graphs, Variable[] values)
    {
        int total = graphs.Sum(g => g.NonZeros);
        var position = new int[total];
        var source = new int[total];
        int q = 0;
        foreach (var g in graphs)
            for (int r = 0; r < g.Rows; r++)
            {
                var unionRow = union.RowIndices(r);
                foreach (int c in g.RowIndices(r))
                {
                    (position[q], source[q]) = (union.RowPtr[r] + unionRow.BinarySearch(c), q);
                    q++;
                }
            }
        var select = CsrMatrix.FromCoo(union.NonZeros, total, position, source, Enumerable.Repeat(1f, total).ToArray());
        return Ops.SpMM(select, Ops.ConcatRows(values), transposed: select.Transpose());
    }
}
