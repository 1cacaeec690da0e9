using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Graphs;

/// <summary>
/// Differentiable edge weights of a fixed sparse pattern (one entry per stored edge, as an
/// nnz×1 column): the cosine of the two end points' rows, and the symmetric normalisation
/// D^{-1/2} S D^{-1/2} of learned weights. The one home of what CRANE's semantic graph and
/// LATTICE's learned item graph share.
/// </summary>
internal static class EdgeWeights
{
    /// <summary>Row p is cos(x[rows[p]], x[cols[p]]), differentiable in <paramref name="x"/>.</summary>
    public static Variable Cosine(Variable x, int[] rows, int[] cols)
    {
        var unit = Ops.L2Normalize(x);
        return Ops.PairDots(unit, rows, unit, cols);
    }

    /// <summary>
    /// D^{-1/2} S D^{-1/2} entry by entry: <paramref name="weights"/> (nnz×1, in the CSR order of
    /// <paramref name="structure"/>, whose own values are ignored; <paramref name="edgeRows"/> is
    /// each entry's row) scaled by D_r^{-1/2}·D_c^{-1/2} with D = row sums of the weights + 1e-7
    /// (as Â). Differentiable through the weights and the degrees; nothing is detached.
    /// </summary>
    public static Variable SymmetricNormalize(CsrMatrix structure, int[] edgeRows, Variable weights)
    {
        var ones = Variable.Constant(Tensor.Filled(structure.Cols, 1, 1f));
        var degree = Ops.SpMM(structure, Ops.Transpose(weights), ones);                                            // N×1
        var inverseRoot = Ops.Exp(Ops.Scale(Ops.Log(Ops.Add(degree, Variable.Constant(Tensor.Scalar(1e-7f)))), -0.5f));
        return Ops.Mul(Ops.Mul(weights, Ops.GatherRows(inverseRoot, edgeRows)), Ops.GatherRows(inverseRoot, structure.ColIdx));
    }

    /// <summary>The row of each stored entry of <paramref name="structure"/>, in CSR order.</summary>
    public static int[] RowOfEachEntry(CsrMatrix structure)
    {
        var rows = new int[structure.NonZeros];
        for (int r = 0; r < structure.Rows; r++) Array.Fill(rows, r, structure.RowPtr[r], structure.RowPtr[r + 1] - structure.RowPtr[r]);
        return rows;
    }
}
