using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// a + b. <paramref name="b"/> has a's shape, or is one row (1×cols) added to every row of a
    /// (a bias); its gradient is then the column sum of the output gradient.
    /// </summary>
    public static Variable Add(Variable a, Variable b)
    {
        bool broadcast = b.Rows == 1 && a.Rows != 1 && b.Cols == a.Cols;
        if (!broadcast) RequireSameShape(a, b, nameof(Add));
        var y = new Tensor(a.Rows, a.Cols);
        for (int r = 0; r < a.Rows; r++)
            TensorPrimitives.Add(a.Value.Row(r), broadcast ? b.Value.Row(0) : b.Value.Row(r), y.Row(r));
        return Variable.FromOp(y, [a, b], g =>
        {
            if (a.RequiresGrad) a.AccumulateGrad(g.AsSpan());
            if (!b.RequiresGrad) return;
            if (!broadcast) { b.AccumulateGrad(g.AsSpan()); return; }
            var gb = b.GradOrZeros().Row(0);
            for (int r = 0; r < g.Rows; r++) TensorPrimitives.Add(gb, g.Row(r), gb);
        });
    }
}
