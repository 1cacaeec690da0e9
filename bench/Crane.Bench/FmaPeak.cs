using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// This machine's fused multiply-add peak: every thread runs twelve independent Vector512 FMA
/// chains (enough to hide the FMA latency), so the figure is the ceiling any float32 kernel can reach.
/// </summary>
internal static class FmaPeak
{
    const int Chains = 12;
    static float _sink;   // keeps the chains' results alive so the JIT cannot drop them

    /// <summary>GFLOP/s of about <paramref name="flops"/> of FMA work on <see cref="Parallelism.Threads"/> threads.</summary>
    public static double Measure(double flops)
    {
        // Cut into more pieces than threads, as the GEMM is, so a thread that loses its core to
        // another process does not hold the others up.
        int pieces = Parallelism.Threads * 8;
        long iterations = Math.Max(1, (long)(flops / (2.0 * Vector512<float>.Count * Chains * pieces)));
        var sw = Stopwatch.StartNew();
        Parallel.For(0, pieces, Parallelism.Options, _ => _sink += Chain(iterations));
        return 2.0 * Vector512<float>.Count * Chains * iterations * pieces / sw.Elapsed.TotalSeconds / 1e9;
    }

    // Fully optimised from the first call: tiering would time unoptimised or on-stack-replaced code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static float Chain(long iterations)
    {
        var x = Vector512.Create(0.999f);
        var y = Vector512.Create(0.001f);
        Vector512<float> c0 = x, c1 = x, c2 = x, c3 = x, c4 = x, c5 = x, c6 = x, c7 = x, c8 = x, c9 = x, c10 = x, c11 = x;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, x, y); c1 = Vector512.FusedMultiplyAdd(c1, x, y);
            c2 = Vector512.FusedMultiplyAdd(c2, x, y); c3 = Vector512.FusedMultiplyAdd(c3, x, y);
            c4 = Vector512.FusedMultiplyAdd(c4, x, y); c5 = Vector512.FusedMultiplyAdd(c5, x, y);
            c6 = Vector512.FusedMultiplyAdd(c6, x, y); c7 = Vector512.FusedMultiplyAdd(c7, x, y);
            c8 = Vector512.FusedMultiplyAdd(c8, x, y); c9 = Vector512.FusedMultiplyAdd(c9, x, y);
            c10 = Vector512.FusedMultiplyAdd(c10, x, y); c11 = Vector512.FusedMultiplyAdd(c11, x, y);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
