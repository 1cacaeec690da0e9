using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// ⟨a[r], b[r]⟩ for every row r, as rows×1 (e.g. the BPR score uᵀi of a batch).
    /// ∂a[r] = g[r]·b[r], ∂b[r] = g[r]·a[r].
    /// </summary>
    public static Variable RowDot(Variable a, Variable b)
    {
        RequireSameShape(a, b, nameof(RowDot));
        var y = new Tensor(a.Rows, 1);
        ForRows(a.Value, (s, e) =>
        {
            for (int r = s; r < e; r++) y.Data[r] = TensorPrimitives.Dot(a.Value.Row(r), b.Value.Row(r));
        });
        return Variable.FromOp(y, [a, b], g =>
        {
            // One operand at a time: a and b may be the same variable.
            if (a.RequiresGrad) AddRowScaled(b.Value, g, a.GradOrZeros());
            if (b.RequiresGrad) AddRowScaled(a.Value, g, b.GradOrZeros());
        });
    }

    /// <summary>destination[r] += scale[r]·source[r] with scale rows×1.</summary>
    static void AddRowScaled(Tensor source, Tensor scale, Tensor destination) =>
        ForRows(source, (s, e) =>
        {
            for (int r = s; r < e; r++)
                TensorPrimitives.MultiplyAdd(source.Row(r), scale.Data[r], destination.Row(r), destination.Row(r));
        });
}
