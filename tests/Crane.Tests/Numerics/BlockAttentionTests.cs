using Crane.Numerics;
using Crane.Tests.Autograd;

namespace Crane.Tests.Numerics;

public class BlockAttentionTests
{
    /// <summary>
    /// Both implementations round in float but sum in different orders. A logit s = scale·q·k
    /// carries at most d·ε·L absolute error (L = |scale|·d·max|q|·max|k| bounds |s|), which changes
    /// each softmax weight by that relative amount; the sums over Nk keys (softmax normaliser,
    /// P·V) and, backward, over Nq queries add at most (Nk + Nq)·ε relative. Against the largest
    /// expected magnitude we therefore allow 4·ε·(d·L + Nk + Nq + 8), the 4 covering the
    /// dP − D subtraction and the scale products of the backward pass.
    /// </summary>
    static double Tolerance(int nq, int nk, int d, float scale, float magnitude) =>
        4 * Epsilon * (d * Math.Abs(scale) * d * magnitude * magnitude + nk + nq + 8);

    const double Epsilon = 1.0 / (1 << 24);

    [Theory]
    [InlineData(5, 7, 3, 4)]       // smaller than one block
    [InlineData(1, 1, 1, 1)]
    [InlineData(150, 200, 16, 24)] // Nq ≠ Nk, neither a multiple of the block, dv ≠ d
    [InlineData(130, 70, 64, 80)]  // full-width register tiles plus a 16-column remainder
    [InlineData(64, 128, 8, 8)]    // exact multiples of the block
    public void Forward_matches_the_naive_softmax(int nq, int nk, int d, int dv)
    {
        var (q, k, v) = Inputs(nq, nk, d, dv, magnitude: 1f, seed: nq + nk);
        float scale = 1f / MathF.Sqrt(d);
        var expected = NaiveAttention.Forward(q, k, v, scale, out _);
        var actual = new Tensor(nq, dv);
        BlockAttention.Forward(q, k, v, scale, actual);
        AssertClose(expected, actual, Tolerance(nq, nk, d, scale, 1f));
    }

    [Fact]
    public void Large_logits_stay_finite_and_exact()
    {
        // Logits reach 10·16·25 = 4000: exp overflows float beyond ~88 without the running max.
        var (q, k, v) = Inputs(100, 90, 16, 8, magnitude: 5f, seed: 7);
        var actual = new Tensor(100, 8);
        var lse = BlockAttention.Forward(q, k, v, 10f, actual);
        Assert.All(actual.Data, x => Assert.True(float.IsFinite(x)));
        Assert.All(lse, x => Assert.True(float.IsFinite(x)));
        AssertClose(NaiveAttention.Forward(q, k, v, 10f, out _), actual, Tolerance(100, 90, 16, 10f, 5f));
    }

    [Fact]
    public void Log_sum_exp_is_that_of_the_scaled_scores()
    {
        var (q, k, v) = Inputs(70, 90, 5, 3, magnitude: 2f, seed: 3);
        var lse = BlockAttention.Forward(q, k, v, 0.8f, new Tensor(70, 3));
        for (int i = 0; i < q.Rows; i++)
        {
            var s = Enumerable.Range(0, k.Rows).Select(j => 0.8 * Enumerable.Range(0, 5).Sum(c => (double)q[i, c] * k[j, c])).ToArray();
            double max = s.Max(), expected = max + Math.Log(s.Sum(x => Math.Exp(x - max)));
            Assert.Equal(expected, lse[i], 1e-4);
        }
    }

    [Theory]
    [InlineData(150, 200, 16, 24)]
    [InlineData(70, 130, 64, 64)]
    [InlineData(1100, 1040, 4, 3)]   // more blocks than backward schedule groups: several blocks per group
    public void Gradients_match_the_naive_backward(int nq, int nk, int d, int dv)
    {
        var (q, k, v) = Inputs(nq, nk, d, dv, magnitude: 1f, seed: 11);
        var dO = GradCheck.Random(nq, dv, seed: 12);
        float scale = 1f / MathF.Sqrt(d);
        var naive = NaiveAttention.Forward(q, k, v, scale, out var p);
        var (dq, dk, dv2) = NaiveAttention.Backward(q, k, v, scale, p, dO);
        var (gq, gk, gv) = BlockGradients(q, k, v, scale, dO);
        double tol = Tolerance(nq, nk, d, scale, 1f);
        AssertClose(dq, gq, tol);
        AssertClose(dk, gk, tol);
        AssertClose(dv2, gv, tol);
    }

    [Fact]
    public void Backward_adds_into_existing_gradients_and_skips_null_ones()
    {
        var (q, k, v) = Inputs(20, 30, 4, 6, magnitude: 1f, seed: 5);
        var dO = GradCheck.Random(20, 6, seed: 6);
        var o = new Tensor(20, 6);
        var lse = BlockAttention.Forward(q, k, v, 0.5f, o);
        var (gq, gk, gv) = BlockGradients(q, k, v, 0.5f, dO);
        var kOnly = Tensor.Filled(30, 4, 1f);
        BlockAttention.Backward(q, k, v, 0.5f, o, lse, dO, null, kOnly, null);
        for (int i = 0; i < gk.Length; i++) Assert.Equal(gk.Data[i] + 1f, kOnly.Data[i], 1e-6f);
        var vOnly = new Tensor(30, 6);
        BlockAttention.Backward(q, k, v, 0.5f, o, lse, dO, null, null, vOnly);
        Assert.Equal(gv.Data, vOnly.Data);
    }

    [Fact]
    public void Mismatched_shapes_are_rejected()
    {
        var (q, k, v) = Inputs(3, 4, 2, 2, magnitude: 1f, seed: 1);
        Assert.Throws<ArgumentException>(() => BlockAttention.Forward(q, new Tensor(4, 3), v, 1f, new Tensor(3, 2)));
        Assert.Throws<ArgumentException>(() => BlockAttention.Forward(q, k, new Tensor(5, 2), 1f, new Tensor(3, 2)));
        Assert.Throws<ArgumentException>(() => BlockAttention.Forward(q, k, v, 1f, new Tensor(3, 3)));
        Assert.Throws<ArgumentException>(() => BlockAttention.Forward(q, new Tensor(0, 2), new Tensor(0, 2), 1f, new Tensor(3, 2)));
    }

    internal static (Tensor Q, Tensor K, Tensor V) Inputs(int nq, int nk, int d, int dv, float magnitude, int seed) =>
        (GradCheck.Random(nq, d, seed, -magnitude, magnitude),
         GradCheck.Random(nk, d, seed + 1, -magnitude, magnitude),
         GradCheck.Random(nk, dv, seed + 2));

    internal static (Tensor Dq, Tensor Dk, Tensor Dv) BlockGradients(Tensor q, Tensor k, Tensor v, float scale, Tensor dO)
    {
        var o = new Tensor(q.Rows, v.Cols);
        var lse = BlockAttention.Forward(q, k, v, scale, o);
        var (dq, dk, dv) = (q.ZerosLike(), k.ZerosLike(), v.ZerosLike());
        BlockAttention.Backward(q, k, v, scale, o, lse, dO, dq, dk, dv);
        return (dq, dk, dv);
    }

    static void AssertClose(Tensor expected, Tensor actual, double relTol)
    {
        Assert.True(expected.SameShape(actual), $"Shape {actual.ShapeText}, expected {expected.ShapeText}.");
        double scale = expected.Data.Max(x => Math.Abs((double)x)), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs((double)expected.Data[i] - actual.Data[i]));
        Assert.True(worst <= relTol * Math.Max(scale, 1e-30),
            $"Max difference {worst:G3} exceeds {relTol:G3} × max|expected| {scale:G3}.");
    }
}

[Collection("Parallelism")]
public class BlockAttentionThreadTests
{
    /// <summary>
    /// Its tile products run on the shared GEMM kernels, so the SIMD width must not matter either.
    /// The second shape has more blocks than the backward schedule has groups.
    /// </summary>
    [Theory]
    [InlineData(300, 260, 64, 40)]
    [InlineData(1100, 1040, 4, 3)]
    public void Results_are_bit_identical_for_any_thread_count_and_kernel_width(int nq, int nk, int d, int dv)
    {
        var (q, k, v) = BlockAttentionTests.Inputs(nq, nk, d, dv, magnitude: 1f, seed: 21);
        var dO = GradCheck.Random(nq, dv, seed: 22);
        KernelSettings.AssertSameBitsEverywhere<float>(() =>
        {
            var o = new Tensor(nq, dv);
            var lse = BlockAttention.Forward(q, k, v, 0.125f, o);
            var (dq, dk, dvGrad) = BlockAttentionTests.BlockGradients(q, k, v, 0.125f, dO);
            return [.. o.Data, .. lse, .. dq.Data, .. dk.Data, .. dvGrad.Data];
        });
    }
}
