namespace Crane.Numerics;

/// <summary>
/// General matrix multiply: C = α·op(A)·op(B) + β·C where op(X) is X or Xᵀ.
/// </summary>
/// <remarks>
/// Cache-blocked and vectorised (Vector512, Vector256 or scalar, whichever the machine runs best),
/// parallel over blocks of C under <see cref="Parallelism.Threads"/>. Every element of C is summed
/// over k in the same fixed order whatever the thread count or SIMD width, so results are
/// bit-identical across thread counts and machines with the same kernel path. As in BLAS, when
/// β = 0 the old contents of C are never read (NaNs there do not leak through).
/// </remarks>
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
        Multiply(m, n, k, alpha, a.Data, Math.Max(1, a.Cols), transA, b.Data, Math.Max(1, b.Cols), transB, beta, c.Data, Math.Max(1, c.Cols));
    }

    /// <summary>Returns op(A)·op(B) as a new tensor.</summary>
    public static Tensor Multiply(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        var c = new Tensor(transA ? a.Cols : a.Rows, transB ? b.Rows : b.Cols);
        Multiply(a, transA, b, transB, c);
        return c;
    }

    /// <summary>
    /// C = α·op(A)·op(B) + β·C on row-major sub-blocks of spans, for callers that multiply tiles
    /// without making tensors. op(A) is m×k, op(B) is k×n, C is m×n.
    /// </summary>
    /// <param name="m">Rows of op(A) and of C.</param>
    /// <param name="n">Columns of op(B) and of C.</param>
    /// <param name="k">Columns of op(A) = rows of op(B); 0 gives C = β·C.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, row-major, starting at its first element (slice the span to offset it).</param>
    /// <param name="lda">Distance between rows of A as stored: at least k (or m when <paramref name="transA"/>).</param>
    /// <param name="transA">Use Aᵀ: A is stored k×m.</param>
    /// <param name="b">B, row-major, starting at its first element.</param>
    /// <param name="ldb">Distance between rows of B as stored: at least n (or k when <paramref name="transB"/>).</param>
    /// <param name="transB">Use Bᵀ: B is stored n×k.</param>
    /// <param name="beta">Scale of the old C; when 0, C is only written.</param>
    /// <param name="c">C, row-major, starting at its first element; must not overlap A or B.</param>
    /// <param name="ldc">Distance between rows of C: at least n.</param>
    public static void Multiply(int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, bool transA,
        ReadOnlySpan<float> b, int ldb, bool transB,
        float beta, Span<float> c, int ldc) =>
        Multiply(Simd.Width, m, n, k, alpha, a, lda, transA, b, ldb, transB, beta, c, ldc);

    /// <summary>
    /// The span overload run on the calling thread alone, allocating nothing per call (untransposed B
    /// is read in place, other buffers come from the array pool): for small tiles multiplied inside a
    /// loop that is already parallel. Gives the same bits as the parallel overload.
    /// </summary>
    internal static void MultiplySequential(int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, bool transA,
        ReadOnlySpan<float> b, int ldb, bool transB,
        float beta, Span<float> c, int ldc) =>
        Multiply(Simd.Width, m, n, k, alpha, a, lda, transA, b, ldb, transB, beta, c, ldc, parallel: false);

    /// <summary>The span overload on a chosen kernel path (tests force each one), in parallel or on the calling thread.</summary>
    internal static void Multiply(SimdWidth path, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, bool transA,
        ReadOnlySpan<float> b, int ldb, bool transB,
        float beta, Span<float> c, int ldc, bool parallel = true)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"GEMM sizes must not be negative: m={m}, n={n}, k={k}.");
        CheckOperand(nameof(a), a.Length, lda, transA ? k : m, transA ? m : k);
        CheckOperand(nameof(b), b.Length, ldb, transB ? n : k, transB ? k : n);
        CheckOperand(nameof(c), c.Length, ldc, m, n);
        if (m == 0 || n == 0) return;
        if (c.Overlaps(a) || c.Overlaps(b))
            throw new ArgumentException("GEMM output C must not overlap its inputs A or B.", nameof(c));
        GemmDriver.Run(path, parallel, m, n, k, alpha, a, lda, transA, b, ldb, transB, beta, c, ldc);
    }

    /// <summary>Checks that a rows×cols block with row distance ld fits in a span of the given length.</summary>
    static void CheckOperand(string name, int length, int ld, int rows, int cols)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentOutOfRangeException(name, $"Leading dimension {ld} of {name} is less than its {cols} columns.");
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"{name} holds {length} elements but a {rows}×{cols} block with leading dimension {ld} needs {needed}.", name);
    }
}
