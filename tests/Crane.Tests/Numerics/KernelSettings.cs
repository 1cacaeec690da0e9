using System.Runtime.InteropServices;
using Crane.Numerics;

namespace Crane.Tests.Numerics;

/// <summary>Runs a kernel under every thread count and SIMD width worth testing (callers belong to the "Parallelism" collection).</summary>
public static class KernelSettings
{
    public static readonly int[] ThreadCounts = [1, 2, 3, 8];

    internal static IEnumerable<SimdWidth> Widths() =>
        Enum.GetValues<SimdWidth>().Where(w => w <= Simd.Best);

    /// <summary>Calls <paramref name="body"/> under each (threads, width) pair, restoring the settings after.</summary>
    internal static void ForEach(Action<int, SimdWidth> body)
    {
        int threads = Parallelism.Threads;
        var width = Simd.Width;
        try
        {
            foreach (int t in ThreadCounts)
                foreach (var w in Widths())
                {
                    Parallelism.Threads = t;
                    Simd.Width = w;
                    body(t, w);
                }
        }
        finally
        {
            Parallelism.Threads = threads;
            Simd.Width = width;
        }
    }

    /// <summary>Runs <paramref name="run"/> under every setting and asserts all results are bit-identical.</summary>
    internal static void AssertSameBitsEverywhere<T>(Func<T[]> run) where T : unmanaged
    {
        T[]? first = null;
        ForEach((t, w) =>
        {
            var result = run();
            if (first is null) first = result;
            else Assert.True(MemoryMarshal.AsBytes(first.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(result.AsSpan())), $"Result differs with {t} threads and {w}.");
        });
    }

    public static Tensor Random(int rows, int cols, int seed, float lo = -1f, float hi = 1f) =>
        Crane.Tests.Autograd.GradCheck.Random(rows, cols, seed, lo, hi);

    /// <summary>Asserts |actual − expected| ≤ tol·(1 + |expected|) elementwise.</summary>
    public static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double tol = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]) || double.IsInfinity(expected[i])) { Assert.Equal((float)expected[i], actual[i]); continue; }
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tol * (1 + Math.Abs(expected[i])),
                $"Element {i}: expected {expected[i]:G9}, got {actual[i]:G9}.");
        }
    }
}
