using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// softmax(scale·Q·Kᵀ)·V, row softmax over the keys, computed block-wise (see
    /// <see cref="BlockAttention"/>): q is Nq×d, k is Nk×d, v is Nk×dv, the result Nq×dv; the Nq×Nk
    /// score matrix is never stored. <paramref name="scale"/> defaults to 1/√d. Only the output
    /// and one log-sum-exp per query row are kept for the backward pass.
    /// </summary>
    public static Variable Attention(Variable q, Variable k, Variable v, float? scale = null)
    {
        float s = scale ?? 1f / MathF.Sqrt(q.Cols);
        var y = new Tensor(q.Rows, v.Cols);
        var lse = BlockAttention.Forward(q.Value, k.Value, v.Value, s, y);
        return Variable.FromOp(y, [q, k, v], g => BlockAttention.Backward(q.Value, k.Value, v.Value, s, y, lse, g,
            q.RequiresGrad ? q.GradOrZeros() : null,
            k.RequiresGrad ? k.GradOrZeros() : null,
            v.RequiresGrad ? v.GradOrZeros() : null));
    }
}
