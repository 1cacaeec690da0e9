namespace Crane.Numerics;

/// <summary>
/// General matrix multiply: C = α·op(A)·op(B) + β·C where op(X) is X or Xᵀ.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// C = α·op(A)·op(B) + β·C. Shapes: op(A) is m×k, op(B) is k×n, C is m×n.
    /// </summary>
    public static void Multiply(Tensor a, bool transA, Tensor b, bool transB, Tensor c, float alpha = 1f, float beta = 0f)
    {
        int m = transA ? a.Cols : a.Rows, k = transA ? a.Rows : a.Cols;
        int kb = transB ? b.Cols : b.Rows, n = transB ? b.Rows : b.Cols;
        if (k != kb || c.Rows != m || c.Cols != n)
            throw new ArgumentException($"GEMM shape mismatch: op(A) {m}×{k}, op(B) {kb}×{n}, C {c.ShapeText}.");
        // Placeholder reference loop; replaced by the blocked, vectorised kernel.
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++)
                    s += (transA ? a[p, i] : a[i, p]) * (transB ? b[j, p] : b[p, j]);
                c[i, j] = alpha * s + (beta == 0f ? 0f : beta * c[i, j]);
            }
    }

    /// <summary>Returns op(A)·op(B) as a new tensor.</summary>
    public static Tensor Multiply(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        var c = new Tensor(transA ? a.Cols : a.Rows, transB ? b.Rows : b.Cols);
        Multiply(a, transA, b, transB, c);
        return c;
    }
}
