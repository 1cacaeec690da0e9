using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>[x₁ ; x₂ ; …]: the inputs stacked (all with the same columns). Each input's gradient is its block of rows.</summary>
    public static Variable ConcatRows(params Variable[] parts)
    {
        if (parts.Length == 0) throw new ArgumentException($"{nameof(ConcatRows)}: needs at least one input.", nameof(parts));
        foreach (var p in parts)
            if (p.Cols != parts[0].Cols)
                throw new ArgumentException(
                    $"{nameof(ConcatRows)}: all inputs need the same columns; got {string.Join(", ", parts.Select(q => q.Value.ShapeText))}.");
        var y = new Tensor(parts.Sum(p => p.Rows), parts[0].Cols);
        for (int i = 0, offset = 0; i < parts.Length; offset += parts[i++].Value.Length)
            parts[i].Value.Data.CopyTo(y.Data, offset);
        return Variable.FromOp(y, parts, g =>
        {
            for (int i = 0, offset = 0; i < parts.Length; offset += parts[i++].Value.Length)
                if (parts[i].RequiresGrad) parts[i].AccumulateGrad(g.Data.AsSpan(offset, parts[i].Value.Length));
        });
    }

    /// <summary>Rows [start, start + count) of x. The gradient lands in that block of x's gradient.</summary>
    public static Variable SliceRows(Variable x, int start, int count)
    {
        if (start < 0 || count < 0 || start + count > x.Rows)
            throw new ArgumentOutOfRangeException(nameof(start), $"{nameof(SliceRows)}: rows [{start}, {start + count}) are outside x {x.Value.ShapeText}.");
        var y = new Tensor(count, x.Cols, x.Value.Data.AsSpan(start * x.Cols, count * x.Cols).ToArray());
        return Variable.FromOp(y, [x], g =>
        {
            var d = x.GradOrZeros().Data.AsSpan(start * x.Cols, count * x.Cols);
            System.Numerics.Tensors.TensorPrimitives.Add(d, g.Data, d);
        });
    }
}
