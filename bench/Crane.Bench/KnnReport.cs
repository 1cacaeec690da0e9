using System.Diagnostics;
using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// `report knn`: one cosine kNN refresh (k = 10) at Electronics scale, N = 63,001 items with
/// 128-d random features, through <see cref="NearestNeighbors.Cosine"/> (block-wise, never N×N).
/// Reports its time and memory (bytes allocated and the growth of the process's peak working
/// set during the call) beside the N×N float matrix a dense build needs, and, as the reference
/// measured in the same run, the same GEMM FLOPs (2·N²·D) timed alone in the same row blocks.
/// </summary>
public static class KnnReport
{
    internal static void Run(int items = 63_001, int dims = 128, int k = 10)
    {
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores; {Parallelism.Threads} threads; .NET {Environment.Version}; kernel path {Simd.Width}");
        var features = new Tensor(items, dims);
        new Rng(42).FillNormal(features.Data, 0f, 1f);
        NearestNeighbors.Cosine(new Tensor(features.Rows / 64, dims, features.Data.AsSpan(0, features.Rows / 64 * dims).ToArray()), k, includeSelf: false); // JIT warm-up

        NeighborTable table = null!;
        var (knnSeconds, allocated, peakGrowth, peakAfter) = ReportTiming.Measure(() => table = NearestNeighbors.Cosine(features, k, includeSelf: false));

        double gemmSeconds = GemmAlone(features);
        double flops = 2.0 * items * items * dims;
        double dense = 4.0 * items * items;

        Console.WriteLine();
        Console.WriteLine($"N = {items:N0} items, D = {dims}, k = {k} (self excluded); {table.Neighbors.Length:N0} neighbours kept");
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| kNN refresh, wall time | {knnSeconds:F1} s |");
        Console.WriteLine($"| reference: the same GEMM FLOPs alone ({flops / 1e12:F2} TFLOP, same {NearestNeighbors.BlockRows}-row blocks) | {gemmSeconds:F1} s |");
        Console.WriteLine($"| kNN / GEMM alone | {knnSeconds / gemmSeconds:F2}× |");
        Console.WriteLine($"| kNN throughput | {flops / knnSeconds / 1e9:F1} GFLOP/s |");
        Console.WriteLine($"| bytes allocated during the refresh | {allocated / 1e6:F0} MB |");
        Console.WriteLine($"| peak working set growth during the refresh | {peakGrowth / 1e6:F0} MB |");
        Console.WriteLine($"| process peak working set after (features, runtime, everything) | {peakAfter / 1e6:F0} MB |");
        Console.WriteLine($"| a dense N×N float32 matrix | {dense / 1e9:F1} GB |");
        Console.WriteLine();
        Console.WriteLine("One refresh after a small warm-up; the machine may be shared, so times are indicative.");
    }

    /// <summary>The kNN's products without the top-k: every block of 256 rows times all rows, one buffer reused.</summary>
    internal static double GemmAlone(Tensor x)
    {
        int n = x.Rows, d = x.Cols, block = NearestNeighbors.BlockRows;
        var scores = new float[block * n];
        var sw = Stopwatch.StartNew();
        for (int start = 0; start < n; start += block)
        {
            int rows = Math.Min(block, n - start);
            Gemm.Multiply(rows, n, d, 1f, x.Data.AsSpan(start * d), d, false, x.Data, d, true, 0f, scores, n);
        }
        return sw.Elapsed.TotalSeconds;
    }
}
