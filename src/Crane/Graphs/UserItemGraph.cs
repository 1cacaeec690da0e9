using Crane.Data;
using Crane.Numerics;

namespace Crane.Graphs;

/// <summary>
/// The normalised user–item graph every graph model propagates on (baselines.md, shared pieces):
/// Â = D^{-1/2} A D^{-1/2} over the M + N nodes (users first, then items), with
/// A = [[0, R], [Rᵀ, 0]] from the training rows, D the node degrees + 1e-7 (as MMRec), and no
/// self-loops. Â is symmetric, so it is its own transpose: pass it as the <c>transposed</c>
/// argument of <see cref="Autograd.Ops.SpMM(CsrMatrix, Autograd.Variable, bool, CsrMatrix?)"/>
/// or <see cref="Propagation.LayerMean(CsrMatrix, Autograd.Variable, int, CsrMatrix?)"/> and
/// every product, backward included, is a row-parallel Â·X.
/// </summary>
public static class UserItemGraph
{
    /// <summary>MMRec adds this to every degree before D^{-1/2} (it keeps isolated nodes finite).</summary>
    public const double DegreeEpsilon = 1e-7;

    /// <summary>Â of a dataset's training interactions.</summary>
    public static CsrMatrix NormalizedAdjacency(Dataset data) => NormalizedAdjacency(data.TrainMatrix);

    /// <summary>
    /// Â for the user × item matrix <paramref name="r"/>; only its sparsity pattern is used, so
    /// a repeated training pair counts once (MMRec builds A from A &gt; 0). O(nnz + M + N), no
    /// dense matrix: user rows are R's rows shifted by M, item rows are Rᵀ's rows.
    /// </summary>
    public static CsrMatrix NormalizedAdjacency(CsrMatrix r)
    {
        int users = r.Rows, nodes = checked(r.Rows + r.Cols);
        var rt = r.Transpose();
        var rowPtr = new int[nodes + 1];
        var colIdx = new int[checked(2 * r.NonZeros)];
        var values = new float[colIdx.Length];

        // Node n's row is R's row n (columns shifted past the users), then Rᵀ's rows; both have
        // sorted columns, and every user column precedes every item column.
        for (int u = 0; u < users; u++) rowPtr[u + 1] = r.RowPtr[u + 1];
        for (int i = 0; i < r.Cols; i++) rowPtr[users + i + 1] = r.NonZeros + rt.RowPtr[i + 1];
        for (int p = 0; p < r.NonZeros; p++) colIdx[p] = users + r.ColIdx[p];
        Array.Copy(rt.ColIdx, 0, colIdx, r.NonZeros, rt.NonZeros);

        var inverseSqrtDegree = new double[nodes];
        for (int n = 0; n < nodes; n++) inverseSqrtDegree[n] = 1.0 / Math.Sqrt(rowPtr[n + 1] - rowPtr[n] + DegreeEpsilon);
        for (int n = 0; n < nodes; n++)
            for (int p = rowPtr[n]; p < rowPtr[n + 1]; p++)
                values[p] = (float)(inverseSqrtDegree[n] * inverseSqrtDegree[colIdx[p]]);
        return new CsrMatrix(nodes, nodes, rowPtr, colIdx, values);
    }

    /// <summary>
    /// The mean-aggregation graph D⁻¹A over the same M + N nodes and pattern as
    /// <see cref="NormalizedAdjacency(CsrMatrix)"/> (a repeated pair counts once, no self-loops):
    /// row n holds 1/|N(n)| at each neighbour, so D⁻¹A·X averages the neighbours' rows — PyG's
    /// <c>aggr='mean'</c> as MMGCN uses it, with no degree normalisation of the source side.
    /// A node without neighbours has an empty row (its mean is 0, as PyG's). Not symmetric:
    /// backward products need its <see cref="CsrMatrix.Transpose"/>.
    /// </summary>
    public static CsrMatrix MeanAdjacency(CsrMatrix r)
    {
        var pattern = NormalizedAdjacency(r);
        var values = new float[pattern.NonZeros];
        for (int n = 0; n < pattern.Rows; n++)
        {
            int degree = pattern.RowPtr[n + 1] - pattern.RowPtr[n];
            for (int p = pattern.RowPtr[n]; p < pattern.RowPtr[n + 1]; p++) values[p] = 1f / degree;
        }
        return pattern.WithValues(values);
    }

    /// <summary>
    /// LATTICE's graph D̃^{-1}(A + I) for the user × item matrix <paramref name="r"/>: A as in
    /// <see cref="NormalizedAdjacency(CsrMatrix)"/> (pattern only) plus a self-loop on every node,
    /// each row divided by its degree + 1 (row-normalised, so not symmetric: propagate with its
    /// <see cref="CsrMatrix.Transpose"/> as the transposed argument). O(nnz + M + N).
    /// </summary>
    public static CsrMatrix RowNormalizedWithSelfLoops(CsrMatrix r)
    {
        int users = r.Rows, nodes = checked(r.Rows + r.Cols);
        var rt = r.Transpose();
        var rowPtr = new int[nodes + 1];
        var colIdx = new int[checked(2 * r.NonZeros + nodes)];
        var values = new float[colIdx.Length];
        int p = 0;
        void Row(int node, ReadOnlySpan<int> before, int offset, ReadOnlySpan<int> after)
        {
            float value = 1f / (before.Length + after.Length + 1);
            foreach (int c in before) (colIdx[p], values[p++]) = (c + offset, value);
            (colIdx[p], values[p++]) = (node, value);                                          // the self-loop
            foreach (int c in after) (colIdx[p], values[p++]) = (c + offset, value);
            rowPtr[node + 1] = p;
        }
        // A user's neighbours (items, columns ≥ M) follow its self-loop; an item's (users) precede it.
        for (int u = 0; u < users; u++) Row(u, [], users, r.RowIndices(u));
        for (int i = 0; i < r.Cols; i++) Row(users + i, rt.RowIndices(i), 0, []);
        return new CsrMatrix(nodes, nodes, rowPtr, colIdx, values);
    }
}
