using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Adds row <paramref name="row"/>'s share into <paramref name="dx"/> given the output
    /// gradient g and output y of that row; <paramref name="scratch"/> is a free row-sized buffer.
    /// </summary>
    internal delegate void RowBackward(int row, ReadOnlySpan<float> g, ReadOnlySpan<float> y, Span<float> dx, Span<float> scratch);

    /// <summary>
    /// The one loop behind ops that act on each row independently (softmax, normalisations):
    /// y = forward(x) into a new tensor; the backward runs <paramref name="backward"/> over
    /// row blocks in parallel, each row of ∂x written by one thread.
    /// </summary>
    static Variable RowWise(Variable x, Action<Tensor, Tensor> forward, RowBackward backward)
    {
        var y = x.Value.ZerosLike();
        forward(x.Value, y);
        return Variable.FromOp(y, [x], g =>
        {
            var gx = x.GradOrZeros();
            ForRows(g, (s, e) =>
            {
                var scratch = new float[g.Cols];
                for (int r = s; r < e; r++) backward(r, g.Row(r), y.Row(r), gx.Row(r), scratch);
            });
        });
    }
}
