using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// ⟨a[rows[p]], b[cols[p]]⟩ for every pair p, as pairs×1: the scores of a sparse pattern's
    /// entries (an SDDMM), equal to RowDot(GatherRows(a, rows), GatherRows(b, cols)) without the
    /// two pairs×d gathered copies and their gradients. ∂a[rows[p]] += g[p]·b[cols[p]] and
    /// ∂b[cols[p]] += g[p]·a[rows[p]], accumulated in pair order (a and b may be the same variable).
    /// </summary>
    public static Variable PairDots(Variable a, int[] rows, Variable b, int[] cols)
    {
        if (a.Cols != b.Cols) throw new ArgumentException($"{nameof(PairDots)}: a is {a.Value.ShapeText} but b is {b.Value.ShapeText}; they need the same width.");
        if (rows.Length != cols.Length) throw new ArgumentException($"{nameof(PairDots)}: {rows.Length} row indices but {cols.Length} column indices.");
        (rows, cols) = ((int[])rows.Clone(), (int[])cols.Clone());
        for (int p = 0; p < rows.Length; p++)
            if ((uint)rows[p] >= (uint)a.Rows || (uint)cols[p] >= (uint)b.Rows)
                throw new ArgumentOutOfRangeException(nameof(rows), $"{nameof(PairDots)}: pair {p} = ({rows[p]}, {cols[p]}) is outside a ({a.Rows} rows) or b ({b.Rows} rows).");
        var y = new Tensor(rows.Length, 1);
        ForRows(y, (s, e) =>
        {
            for (int p = s; p < e; p++) y.Data[p] = TensorPrimitives.Dot(a.Value.Row(rows[p]), b.Value.Row(cols[p]));
        });
        return Variable.FromOp(y, [a, b], g =>
        {
            if (a.RequiresGrad) ScatterScaled(b.Value, cols, g, rows, a.GradOrZeros());
            if (b.RequiresGrad) ScatterScaled(a.Value, rows, g, cols, b.GradOrZeros());
        });
    }

    /// <summary>destination[to[p]] += scale[p]·source[from[p]] for every p, in order (deterministic).</summary>
    static void ScatterScaled(Tensor source, int[] from, Tensor scale, int[] to, Tensor destination)
    {
        for (int p = 0; p < from.Length; p++)
            TensorPrimitives.MultiplyAdd(source.Row(from[p]), scale.Data[p], destination.Row(to[p]), destination.Row(to[p]));
    }
}
