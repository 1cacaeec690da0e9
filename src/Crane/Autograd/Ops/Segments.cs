using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Softmax within each row of a sparse pattern: <paramref name="scores"/> is 1×nnz, one score
    /// per stored entry of <paramref name="structure"/> (CSR order); the result is 1×nnz with the
    /// entries of every row summing to 1 (e.g. attention over each entity's neighbours, used as
    /// the weights of <see cref="SpMM(CsrMatrix, Variable, Variable)"/>). Backward per row:
    /// ∂x = y ⊙ (g − ⟨g, y⟩).
    /// </summary>
    public static Variable SegmentSoftmax(CsrMatrix structure, Variable scores)
    {
        if (scores.Rows != 1 || scores.Cols != structure.NonZeros)
            throw new ArgumentException($"{nameof(SegmentSoftmax)}: scores must be 1×{structure.NonZeros}, not {scores.Value.ShapeText}.");
        var y = new Tensor(1, structure.NonZeros);
        var x = scores.Value.Data;
        for (int r = 0; r < structure.Rows; r++)
        {
            int s = structure.RowPtr[r], n = structure.RowPtr[r + 1] - s;
            if (n > 0) TensorPrimitives.SoftMax(x.AsSpan(s, n), y.Data.AsSpan(s, n));
        }
        return Variable.FromOp(y, [scores], g =>
        {
            var dx = scores.GradOrZeros().Data;
            for (int r = 0; r < structure.Rows; r++)
            {
                int s = structure.RowPtr[r], n = structure.RowPtr[r + 1] - s;
                var ys = y.Data.AsSpan(s, n);
                var gs = g.Data.AsSpan(s, n);
                float dot = TensorPrimitives.Dot(gs, ys);
                for (int p = 0; p < n; p++) dx[s + p] += ys[p] * (gs[p] - dot);
            }
        });
    }

    /// <summary>
    /// Element-wise maximum over each row's neighbours: y[r, c] = max over the stored columns j of
    /// row r of x[j, c] (0 for a row with no entries; the structure's values are ignored). The
    /// gradient goes to the row that attained the maximum (the first stored one on ties).
    /// </summary>
    public static Variable SegmentMax(CsrMatrix structure, Variable x)
    {
        if (x.Rows != structure.Cols)
            throw new ArgumentException($"{nameof(SegmentMax)}: the pattern is {structure.Rows}×{structure.Cols} but x is {x.Value.ShapeText}.");
        int d = x.Cols;
        var y = new Tensor(structure.Rows, d);
        var argmax = new int[structure.Rows * d];
        ForRows(y, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                var yr = y.Row(r);
                var ar = argmax.AsSpan(r * d, d);
                ar.Fill(-1);
                foreach (int j in structure.RowIndices(r))
                {
                    var xj = x.Value.Row(j);
                    for (int c = 0; c < d; c++)
                        if (ar[c] < 0 || xj[c] > yr[c]) { yr[c] = xj[c]; ar[c] = j; }
                }
            }
        });
        return Variable.FromOp(y, [x], g =>
        {
            var gx = x.GradOrZeros();
            for (int r = 0; r < structure.Rows; r++)
                for (int c = 0; c < d; c++)
                {
                    int j = argmax[r * d + c];
                    if (j >= 0) gx[j, c] += g[r, c];
                }
        });
    }
}
