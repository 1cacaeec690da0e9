using Crane.Numerics;

namespace Crane.Tests.Numerics;

public class GemmTests
{
    /// <summary>
    /// Awkward (m, n, k): ones, zero k, sizes off the vector width, k past one packed block, few rows;
    /// then whole register tiles (attention's 64×64 tiles, a 4-row edge panel) and more than one panel of B.
    /// </summary>
    static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 7, 3), (7, 1, 5), (5, 3, 0), (6, 32, 17), (13, 17, 19),
        (31, 65, 300), (2, 100, 7), (70, 33, 513), (1, 130, 1), (125, 9, 40),
        (64, 64, 64), (10, 128, 64), (64, 600, 300),
    ];

    /// <summary>Path names (SimdWidth is internal, so theories take its name).</summary>
    public static TheoryData<string, bool, bool> PathsAndTransposes()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var path in Enum.GetNames<SimdWidth>())
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    data.Add(path, ta, tb);
        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndTransposes))]
    public void Matches_double_precision_reference_on_awkward_shapes(string pathName, bool transA, bool transB)
    {
        var path = Enum.Parse<SimdWidth>(pathName);
        int seed = 1;
        foreach (var (m, n, k) in Shapes)
        {
            var p = Problem.Random(m, n, k, transA, transB, seed++);
            foreach (var (alpha, beta) in new[] { (1f, 0f), (-0.5f, 1f), (2f, 0.25f) })
            {
                var c = p.C0.Clone();
                Gemm.Multiply(path, m, n, k, alpha, p.A.Data, Math.Max(1, p.A.Cols), transA, p.B.Data, Math.Max(1, p.B.Cols), transB, beta, c.Data, Math.Max(1, n));
                p.AssertClose(c, alpha, beta, $"{path} {m}×{n}×{k} tA={transA} tB={transB} α={alpha} β={beta}");
                // On the calling thread (B read in place where it can be): the same bits.
                var cs = p.C0.Clone();
                Gemm.Multiply(path, m, n, k, alpha, p.A.Data, Math.Max(1, p.A.Cols), transA, p.B.Data, Math.Max(1, p.B.Cols), transB, beta, cs.Data, Math.Max(1, n), parallel: false);
                Assert.Equal(c.Data, cs.Data);
            }
        }
    }

    [Fact]
    public void Every_path_gives_the_same_bits()
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var p = Problem.Random(37, 71, 301, ta, tb, seed: 9);
                var results = Enum.GetValues<SimdWidth>().Select(path =>
                {
                    var c = p.C0.Clone();
                    Gemm.Multiply(path, 37, 71, 301, 1.5f, p.A.Data, p.A.Cols, ta, p.B.Data, p.B.Cols, tb, 0.5f, c.Data, 71);
                    return c.Data;
                }).ToArray();
                foreach (var r in results[1..]) Assert.Equal(results[0], r);
            }
    }

    [Fact]
    public void Tensor_overloads_compute_the_product()
    {
        var p = Problem.Random(9, 11, 13, transA: true, transB: false, seed: 3);
        var c = Gemm.Multiply(p.A, p.B, transA: true);
        p.AssertClose(c, 1f, 0f, "Multiply(a, b, transA)");

        var c2 = p.C0.Clone();
        Gemm.Multiply(p.A, true, p.B, false, c2, alpha: 3f, beta: -1f);
        p.AssertClose(c2, 3f, -1f, "Multiply(a, tA, b, tB, c, α, β)");
    }

    [Fact]
    public void Beta_zero_overwrites_NaN_in_C()
    {
        var p = Problem.Random(8, 40, 5, false, false, seed: 4);
        foreach (int k in new[] { 5, 0 })
        {
            var c = Tensor.Filled(8, 40, float.NaN);
            Gemm.Multiply(8, 40, k, 1f, p.A.Data, 5, false, p.B.Data, 40, false, 0f, c.Data, 40);
            Assert.All(c.Data, v => Assert.False(float.IsNaN(v)));
        }
    }

    [Fact]
    public void Zero_k_scales_C_by_beta()
    {
        var c = Tensor.Filled(3, 4, 2f);
        Gemm.Multiply(3, 4, 0, 1f, [], 1, false, [], 4, false, 0.5f, c.Data, 4);
        Assert.All(c.Data, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Span_overload_multiplies_sub_blocks_and_leaves_the_rest_untouched()
    {
        // A 5×3 block inside a 9×8 array at (2, 1); Bᵀ stored as a 4×3 block inside a 6×7 array at (1, 2);
        // C a 5×4 block inside a 7×10 array at (1, 3).
        var bigA = Problem.RandomTensor(9, 8, 6);
        var bigB = Problem.RandomTensor(6, 7, 7);
        var bigC = Problem.RandomTensor(7, 10, 8);
        var before = (float[])bigC.Data.Clone();
        Gemm.Multiply(5, 4, 3, 2f, bigA.Data.AsSpan(2 * 8 + 1), 8, false, bigB.Data.AsSpan(1 * 7 + 2), 7, true, 1f, bigC.Data.AsSpan(1 * 10 + 3), 10);
        for (int r = 0; r < 7; r++)
            for (int col = 0; col < 10; col++)
            {
                float expected = before[r * 10 + col];
                if (r is >= 1 and < 6 && col is >= 3 and < 7)
                {
                    double s = 0;
                    for (int p = 0; p < 3; p++) s += (double)bigA[r - 1 + 2, p + 1] * bigB[col - 3 + 1, p + 2];
                    expected = (float)(2 * s + expected);
                }
                Assert.Equal(expected, bigC[r, col], 1e-4f);
            }
    }

    [Theory]
    [InlineData(false, false, 64)]   // attention's tiles: B read in place, nothing to pack
    [InlineData(false, true, 64)]    // Bᵀ packed into a pooled buffer
    [InlineData(true, false, 40)]    // Aᵀ copied into a pooled buffer; a ragged sliver of B packed
    public void Sequential_mode_allocates_nothing(bool transA, bool transB, int n)
    {
        var p = Problem.Random(64, n, 64, transA, transB, seed: 5);
        var c = p.C0.Clone();
        void Run() => Gemm.MultiplySequential(64, n, 64, 0.5f, p.A.Data, p.A.Cols, transA, p.B.Data, p.B.Cols, transB, 1f, c.Data, n);
        Run();   // the first call may fill this thread's pool
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Run();
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        var a = new Tensor(2, 3);
        var b = new Tensor(4, 5);
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(a, false, b, false, new Tensor(2, 5)));
        Assert.Contains("2×3", ex.Message);
        var data = new float[100];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(4, 4, 4, 1f, data, 4, false, data.AsSpan(16), 4, false, 0f, data.AsSpan(20), 4));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(4, 4, 4, 1f, new float[15], 4, false, new float[16], 4, false, 0f, new float[16], 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(4, 4, 4, 1f, new float[16], 3, false, new float[16], 4, false, 0f, new float[16], 4));
    }
}

[Collection("Parallelism")]
public class GemmThreadTests
{
    [Theory]
    [InlineData(300, 70, 300)]   // many rows: row blocks in parallel
    [InlineData(5, 400, 300)]    // few rows: groups of column slivers in parallel
    public void Results_are_bit_identical_for_any_thread_count(int m, int n, int k)
    {
        int saved = Parallelism.Threads;
        try
        {
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    var p = Problem.Random(m, n, k, ta, tb, seed: 11);
                    float[]? first = null;
                    foreach (int threads in new[] { 1, 2, 3 })
                    {
                        Parallelism.Threads = threads;
                        var c = p.C0.Clone();
                        Gemm.Multiply(m, n, k, 0.75f, p.A.Data, p.A.Cols, ta, p.B.Data, p.B.Cols, tb, 0.5f, c.Data, n);
                        if (first is null) first = c.Data;
                        else Assert.Equal(first, c.Data);
                    }
                }
        }
        finally
        {
            Parallelism.Threads = saved;
        }
    }
}

/// <summary>Random operands stored as the transposes ask, with a double-precision reference product.</summary>
internal sealed record Problem(Tensor A, Tensor B, Tensor C0, int M, int N, int K, bool TransA, bool TransB)
{
    public static Tensor RandomTensor(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var t = new Tensor(rows, cols);
        for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }

    public static Problem Random(int m, int n, int k, bool transA, bool transB, int seed) => new(
        transA ? RandomTensor(k, m, seed) : RandomTensor(m, k, seed),
        transB ? RandomTensor(n, k, seed + 1000) : RandomTensor(k, n, seed + 1000),
        RandomTensor(m, n, seed + 2000), m, n, k, transA, transB);

    double OpA(int i, int p) => TransA ? A[p, i] : A[i, p];
    double OpB(int p, int j) => TransB ? B[j, p] : B[p, j];

    /// <summary>
    /// Asserts C ≈ α·op(A)·op(B) + β·C0 within float rounding of a length-k sum:
    /// |error| ≤ 4·(k+2)·2⁻²⁴·(|α|·Σ|a·b| + |β·c0|).
    /// </summary>
    public void AssertClose(Tensor c, float alpha, float beta, string what)
    {
        Assert.Equal((M, N), (c.Rows, c.Cols));
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++)
            {
                double sum = 0, abs = 0;
                for (int p = 0; p < K; p++)
                {
                    double t = OpA(i, p) * OpB(p, j);
                    sum += t;
                    abs += Math.Abs(t);
                }
                double expected = alpha * sum + beta * C0[i, j];
                double tol = 4 * (K + 2) * Math.Pow(2, -24) * (Math.Abs(alpha) * abs + Math.Abs(beta * C0[i, j])) + 1e-30;
                if (Math.Abs(c[i, j] - expected) > tol)
                    Assert.Fail($"{what}: C[{i},{j}] = {c[i, j]}, expected {expected} (tolerance {tol:g3}).");
            }
    }
}
