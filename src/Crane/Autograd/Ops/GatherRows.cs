using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Rows index[0], index[1], … of <paramref name="table"/> (an embedding lookup). Backward
    /// scatter-adds each output row's gradient into its table row, so repeated indices accumulate.
    /// </summary>
    public static Variable GatherRows(Variable table, int[] index)
    {
        ArgumentNullException.ThrowIfNull(index);
        // A copy: callers (samplers) reuse their index buffers before Backward runs.
        var rows = (int[])index.Clone();
        foreach (int i in rows)
            if ((uint)i >= (uint)table.Rows)
                throw new ArgumentOutOfRangeException(nameof(index), $"{nameof(GatherRows)}: index {i} is outside table {table.Value.ShapeText}.");
        var y = new Tensor(rows.Length, table.Cols);
        RowOps.GatherRows(table.Value, rows, y);
        return Variable.FromOp(y, [table], g => RowOps.ScatterAddRows(g, rows, table.GradOrZeros()));
    }
}
