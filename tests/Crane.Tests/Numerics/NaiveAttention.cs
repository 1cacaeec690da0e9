using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Tests.Numerics;

/// <summary>
/// Reference attention that holds the full Nq×Nk matrices: scores → row softmax → ·V, and the
/// textbook backward. Used by tests and (linked) by the benchmark as the baseline; never in src.
/// </summary>
internal static class NaiveAttention
{
    /// <summary>Returns softmax(scale·Q·Kᵀ)·V and the Nq×Nk probabilities P.</summary>
    public static Tensor Forward(Tensor q, Tensor k, Tensor v, float scale, out Tensor probabilities)
    {
        var p = new Tensor(q.Rows, k.Rows);
        var o = new Tensor(q.Rows, v.Cols);
        Parallelism.ForBlocks(q.Rows, 16, (first, last) =>
        {
            for (int i = first; i < last; i++)
            {
                var pi = p.Row(i);
                for (int j = 0; j < k.Rows; j++) pi[j] = scale * TensorPrimitives.Dot(q.Row(i), k.Row(j));
                TensorPrimitives.Subtract(pi, TensorPrimitives.Max(pi), pi);
                TensorPrimitives.Exp(pi, pi);
                TensorPrimitives.Divide(pi, TensorPrimitives.Sum(pi), pi);
                for (int j = 0; j < k.Rows; j++) TensorPrimitives.MultiplyAdd(v.Row(j), pi[j], o.Row(i), o.Row(i));
            }
        });
        probabilities = p;
        return o;
    }

    /// <summary>
    /// Gradients from P and dO: dP = dO·Vᵀ, dS = P ∘ (dP − rowsum(P ∘ dP)), dQ = scale·dS·K,
    /// dK = scale·dSᵀ·Q, dV = Pᵀ·dO.
    /// </summary>
    public static (Tensor Dq, Tensor Dk, Tensor Dv) Backward(Tensor q, Tensor k, Tensor v, float scale, Tensor p, Tensor dO)
    {
        var ds = new Tensor(q.Rows, k.Rows);
        var dq = new Tensor(q.Rows, q.Cols);
        Parallelism.ForBlocks(q.Rows, 16, (first, last) =>
        {
            for (int i = first; i < last; i++)
            {
                var dsi = ds.Row(i);
                for (int j = 0; j < k.Rows; j++) dsi[j] = TensorPrimitives.Dot(dO.Row(i), v.Row(j));
                TensorPrimitives.Subtract(dsi, TensorPrimitives.Dot(p.Row(i), dsi), dsi);
                TensorPrimitives.Multiply(dsi, p.Row(i), dsi);
                for (int j = 0; j < k.Rows; j++) TensorPrimitives.MultiplyAdd(k.Row(j), scale * dsi[j], dq.Row(i), dq.Row(i));
            }
        });
        var dk = new Tensor(k.Rows, k.Cols);
        var dv = new Tensor(v.Rows, v.Cols);
        Parallelism.ForBlocks(k.Rows, 16, (first, last) =>
        {
            // Strips of 16 keys, so each row of P and dS is read a cache line at a time.
            for (int j0 = first; j0 < last; j0 += 16)
                for (int i = 0; i < q.Rows; i++)
                    for (int j = j0; j < Math.Min(last, j0 + 16); j++)
                    {
                        TensorPrimitives.MultiplyAdd(q.Row(i), scale * ds[i, j], dk.Row(j), dk.Row(j));
                        TensorPrimitives.MultiplyAdd(dO.Row(i), p[i, j], dv.Row(j), dv.Row(j));
                    }
        });
        return (dq, dk, dv);
    }
}
