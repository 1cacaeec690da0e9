using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Crane.Numerics;
using Crane.Tests.Numerics;

namespace Crane.Bench;

/// <summary>
/// Self-attention over N = 7,050 rows (d = 64, and d = 16 for crane-released's heads): block-wise kernel against the naive version that
/// holds the N×N probabilities (and, backward, dS), in the same process. Allocated bytes come
/// from the memory diagnoser (all threads); outputs and gradients are allocated in both.
/// </summary>
[MemoryDiagnoser, MinColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class AttentionBenchmarks
{
    Tensor _q = null!, _k = null!, _v = null!, _dO = null!;
    float _scale;

    [Params(7050)]
    public int N { get; set; }

    /// <summary>The head size d = dv (16 takes <see cref="SmallHeadAttention"/>'s path).</summary>
    [Params(64)]
    public int D { get; set; } = 64;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        Tensor Random(int rows) => new(rows, D, Enumerable.Range(0, rows * D).Select(_ => (float)rng.NextDouble() * 2 - 1).ToArray());
        (_q, _k, _v, _dO) = (Random(N), Random(N), Random(N), Random(N));
        _scale = 1f / MathF.Sqrt(D);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public Tensor NaiveForward() => NaiveAttention.Forward(_q, _k, _v, _scale, out _);

    [Benchmark, BenchmarkCategory("Forward")]
    public Tensor BlockForward()
    {
        var o = new Tensor(N, D);
        BlockAttention.Forward(_q, _k, _v, _scale, o);
        return o;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Forward+backward")]
    public Tensor NaiveForwardBackward()
    {
        NaiveAttention.Forward(_q, _k, _v, _scale, out var p);
        return NaiveAttention.Backward(_q, _k, _v, _scale, p, _dO).Dq;
    }

    [Benchmark, BenchmarkCategory("Forward+backward")]
    public Tensor BlockForwardBackward()
    {
        var o = new Tensor(N, D);
        var lse = BlockAttention.Forward(_q, _k, _v, _scale, o);
        var (dq, dk, dv) = (new Tensor(N, D), new Tensor(N, D), new Tensor(N, D));
        BlockAttention.Backward(_q, _k, _v, _scale, o, lse, _dO, dq, dk, dv);
        return dq;
    }
}
