using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>[x₁ ‖ x₂ ‖ …]: the inputs side by side (all with the same rows). Each input's gradient is its block of columns.</summary>
    public static Variable ConcatColumns(params Variable[] parts)
    {
        if (parts.Length == 0) throw new ArgumentException($"{nameof(ConcatColumns)}: needs at least one input.", nameof(parts));
        foreach (var p in parts)
            if (p.Rows != parts[0].Rows)
                throw new ArgumentException(
                    $"{nameof(ConcatColumns)}: all inputs need the same rows; got {string.Join(", ", parts.Select(q => q.Value.ShapeText))}.");
        var y = new Tensor(parts[0].Rows, parts.Sum(p => p.Cols));
        for (int i = 0, offset = 0; i < parts.Length; offset += parts[i++].Cols)
            AddColumns(parts[i].Value, 0, y, offset, parts[i].Cols);
        return Variable.FromOp(y, parts, g =>
        {
            for (int i = 0, offset = 0; i < parts.Length; offset += parts[i++].Cols)
                if (parts[i].RequiresGrad) AddColumns(g, offset, parts[i].GradOrZeros(), 0, parts[i].Cols);
        });
    }

    /// <summary>Columns [start, start + width) of x. The gradient lands in that block of x's gradient.</summary>
    public static Variable SliceColumns(Variable x, int start, int width)
    {
        if (start < 0 || width < 0 || start + width > x.Cols)
            throw new ArgumentOutOfRangeException(nameof(start), $"{nameof(SliceColumns)}: columns [{start}, {start + width}) are outside x {x.Value.ShapeText}.");
        var y = new Tensor(x.Rows, width);
        AddColumns(x.Value, start, y, 0, width);
        return Variable.FromOp(y, [x], g => AddColumns(g, 0, x.GradOrZeros(), start, width));
    }

    /// <summary>Splits x into consecutive column blocks of the given widths (they must sum to x's columns); the inverse of <see cref="ConcatColumns"/>.</summary>
    public static Variable[] SplitColumns(Variable x, params int[] widths)
    {
        if (widths.Any(w => w < 0) || widths.Sum() != x.Cols)
            throw new ArgumentException(
                $"{nameof(SplitColumns)}: widths [{string.Join(", ", widths)}] must be non-negative and sum to the {x.Cols} columns of x {x.Value.ShapeText}.", nameof(widths));
        var parts = new Variable[widths.Length];
        for (int i = 0, offset = 0; i < widths.Length; offset += widths[i++])
            parts[i] = SliceColumns(x, offset, widths[i]);
        return parts;
    }

    /// <summary>destination[:, dstCol..+width] += source[:, srcCol..+width], row-parallel.</summary>
    static void AddColumns(Tensor source, int srcCol, Tensor destination, int dstCol, int width) =>
        ForRows(source, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                var d = destination.Row(r).Slice(dstCol, width);
                TensorPrimitives.Add(d, source.Row(r).Slice(srcCol, width), d);
            }
        });
}
