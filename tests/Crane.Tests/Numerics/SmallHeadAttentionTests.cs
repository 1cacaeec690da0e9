using System.Runtime.InteropServices;
using Crane.Numerics;
using Crane.Tests.Autograd;

namespace Crane.Tests.Numerics;

/// <summary>
/// The 16-wide head kernel (<see cref="SmallHeadAttention"/>) against the naive N×N reference, next
/// to the head sizes that take the general path, forward and gradients; and its determinism.
/// </summary>
[Collection("Parallelism")]
public class SmallHeadAttentionTests
{
    const double Epsilon = 1.0 / (1 << 24);

    /// <summary>The bound of <see cref="BlockAttentionTests"/>: 4·ε·(d²·|scale|·m² + Nk + Nq + 8).</summary>
    static double Tolerance(int nq, int nk, int d, float scale, float magnitude) =>
        4 * Epsilon * (d * Math.Abs(scale) * d * magnitude * magnitude + nk + nq + 8);

    [Theory]
    [InlineData(8, 150, 200)]
    [InlineData(16, 150, 200)]
    [InlineData(16, 67, 37)]     // an odd row count (a single-row remainder) and one partial key block
    [InlineData(16, 128, 192)]   // whole blocks only
    [InlineData(64, 150, 200)]
    public void Forward_and_gradients_match_the_naive_reference(int d, int nq, int nk)
    {
        var (q, k, v) = BlockAttentionTests.Inputs(nq, nk, d, d, magnitude: 1f, seed: d + nq);
        var dO = GradCheck.Random(nq, d, seed: 40 + d);
        float scale = 1f / MathF.Sqrt(d);
        var expected = NaiveAttention.Forward(q, k, v, scale, out var p);
        var (dq, dk, dv) = NaiveAttention.Backward(q, k, v, scale, p, dO);

        var output = new Tensor(nq, d);
        BlockAttention.Forward(q, k, v, scale, output);
        var (gq, gk, gv) = BlockAttentionTests.BlockGradients(q, k, v, scale, dO);

        double tol = Tolerance(nq, nk, d, scale, 1f);
        AssertClose(expected, output, tol);
        AssertClose(dq, gq, tol);
        AssertClose(dk, gk, tol);
        AssertClose(dv, gv, tol);
    }

    [Fact]
    public void Head_size_16_takes_the_small_head_path_where_Vector512_is_the_kernel_width()
    {
        var (q, _, v) = BlockAttentionTests.Inputs(3, 3, 16, 16, magnitude: 1f, seed: 1);
        Assert.Equal(Simd.Width == SimdWidth.Vector512, SmallHeadAttention.Applies(q, v));
        var (q8, _, v8) = BlockAttentionTests.Inputs(3, 3, 8, 8, magnitude: 1f, seed: 1);
        Assert.False(SmallHeadAttention.Applies(q8, v8));
    }

    [Fact]
    public void Large_logits_stay_finite_and_match_the_reference()
    {
        // Logits up to 10·16·25 = 4000: exp overflows beyond ~88 without the running max.
        var (q, k, v) = BlockAttentionTests.Inputs(100, 90, 16, 16, magnitude: 5f, seed: 7);
        var output = new Tensor(100, 16);
        var lse = BlockAttention.Forward(q, k, v, 10f, output);
        Assert.All(lse, x => Assert.True(float.IsFinite(x)));
        AssertClose(NaiveAttention.Forward(q, k, v, 10f, out _), output, Tolerance(100, 90, 16, 10f, 5f));
    }

    [Fact]
    public void Small_head_path_agrees_with_the_general_path()
    {
        var (q, k, v) = BlockAttentionTests.Inputs(130, 200, 16, 16, magnitude: 1f, seed: 3);
        var dO = GradCheck.Random(130, 16, seed: 4);
        var small = Everything(q, k, v, dO);
        SmallHeadAttention.Enabled = false;
        float[] general;
        try { general = Everything(q, k, v, dO); }
        finally { SmallHeadAttention.Enabled = true; }
        double scale = general.Max(x => Math.Abs((double)x)), tol = Tolerance(130, 200, 16, 0.25f, 1f);
        for (int i = 0; i < general.Length; i++) Assert.True(Math.Abs(general[i] - small[i]) <= tol * scale, $"Element {i}: {small[i]} vs {general[i]}.");
    }

    [Fact]
    public void Results_are_bit_identical_for_any_thread_count()
    {
        // More blocks than the backward schedule's 16 groups, ragged at both ends.
        var (q, k, v) = BlockAttentionTests.Inputs(1100, 1040, 16, 16, magnitude: 1f, seed: 21);
        var dO = GradCheck.Random(1100, 16, seed: 22);
        int threads = Parallelism.Threads;
        try
        {
            float[]? first = null;
            foreach (int t in KernelSettings.ThreadCounts)
            {
                Parallelism.Threads = t;
                var result = Everything(q, k, v, dO);
                first ??= result;
                Assert.True(MemoryMarshal.AsBytes(first.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(result.AsSpan())), $"Result differs with {t} threads.");
            }
        }
        finally { Parallelism.Threads = threads; }
    }

    /// <summary>O, the log-sum-exp, dQ, dK and dV in one array (scale 1/4).</summary>
    static float[] Everything(Tensor q, Tensor k, Tensor v, Tensor dO)
    {
        var o = new Tensor(q.Rows, v.Cols);
        var lse = BlockAttention.Forward(q, k, v, 0.25f, o);
        var (dq, dk, dv) = BlockAttentionTests.BlockGradients(q, k, v, 0.25f, dO);
        return [.. o.Data, .. lse, .. dq.Data, .. dk.Data, .. dv.Data];
    }

    static void AssertClose(Tensor expected, Tensor actual, double relTol)
    {
        Assert.True(expected.SameShape(actual), $"Shape {actual.ShapeText}, expected {expected.ShapeText}.");
        double scale = expected.Data.Max(x => Math.Abs((double)x)), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs((double)expected.Data[i] - actual.Data[i]));
        Assert.True(worst <= relTol * Math.Max(scale, 1e-30), $"Max difference {worst:G3} exceeds {relTol:G3} × max|expected| {scale:G3}.");
    }
}
