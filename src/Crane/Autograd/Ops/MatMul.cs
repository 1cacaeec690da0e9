using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// op(a)·op(b), where op transposes when asked. Backward, with G the output gradient:
    /// ∂a = G·op(b)ᵀ (or op(b)·Gᵀ when a is transposed), ∂b = op(a)ᵀ·G (or Gᵀ·op(a) when b is
    /// transposed) — each one GEMM accumulating straight into the gradient (β = 1).
    /// </summary>
    public static Variable MatMul(Variable a, Variable b, bool transA = false, bool transB = false)
    {
        int m = transA ? a.Cols : a.Rows, k = transA ? a.Rows : a.Cols;
        int kb = transB ? b.Cols : b.Rows, n = transB ? b.Rows : b.Cols;
        if (k != kb)
            throw new ArgumentException(
                $"{nameof(MatMul)}: op(a) is {m}×{k} (a {a.Value.ShapeText}{(transA ? "ᵀ" : "")}) but op(b) is {kb}×{n} (b {b.Value.ShapeText}{(transB ? "ᵀ" : "")}); inner sizes differ.");
        var y = Gemm.Multiply(a.Value, b.Value, transA, transB);
        return Variable.FromOp(y, [a, b], g =>
        {
            if (a.RequiresGrad)
            {
                if (transA) Gemm.Multiply(b.Value, transB, g, true, a.GradOrZeros(), 1f, 1f);
                else Gemm.Multiply(g, false, b.Value, !transB, a.GradOrZeros(), 1f, 1f);
            }
            if (b.RequiresGrad)
            {
                if (transB) Gemm.Multiply(g, true, a.Value, transA, b.GradOrZeros(), 1f, 1f);
                else Gemm.Multiply(a.Value, !transA, g, false, b.GradOrZeros(), 1f, 1f);
            }
        });
    }
}
