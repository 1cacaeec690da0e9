using System.Diagnostics;
using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// `report dgvae-graph`: what DGVAE builds from the item features before training, at Electronics
/// scale (N = 63,001 items, two synthetic 128-d modalities): the frozen kNN item graph
/// S = 0.04·S₁ + 0.96·S₂ (<see cref="FeatureItemGraph.Mixed"/>, block-wise cosine top-k) and the
/// pseudo-words (<see cref="KMeans"/>, 256 codes per modality, 20 iterations, block-wise). Prints
/// each step's time, bytes allocated and peak working-set growth beside the N×N float matrix a
/// dense build needs, and, as the time reference measured in the same run, the kNN's GEMM FLOPs
/// alone (as `report knn`).
/// </summary>
public static class DgvaeGraphReport
{
    internal static void Run(int items = 63_001, int dims = 128, int k = 10, int codes = 256, int iterations = 20)
    {
        Console.WriteLine($"Machine: {ReportTiming.CpuModel()}, {Environment.ProcessorCount} cores; {Parallelism.Threads} threads; .NET {Environment.Version}; kernel path {Simd.Width}");
        var features = new[] { new Tensor(items, dims), new Tensor(items, dims) };
        new Rng(42).FillNormal(features[0].Data, 0f, 1f);
        new Rng(43).FillNormal(features[1].Data, 0f, 1f);
        var small = new Tensor(items / 64, dims, features[0].Data.AsSpan(0, items / 64 * dims).ToArray());
        FeatureItemGraph.Knn(small, k);                          // JIT warm-up
        KMeans.Codes(small, 16, 2, new Rng(1));

        CsrMatrix graph = null!;
        var build = ReportTiming.Measure(() => graph = FeatureItemGraph.Mixed([(features[0], 0.04f), (features[1], 0.96f)], k));
        var kmeans = ReportTiming.Measure(() =>
        {
            for (int m = 0; m < 2; m++) KMeans.Codes(features[m], codes, iterations, Rng.ForStream(999, $"dgvae.kmeans.{m}"));
        });
        double gemmSeconds = KnnReport.GemmAlone(features[0]);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        double dense = 4.0 * items * items;

        Console.WriteLine();
        Console.WriteLine($"N = {items:N0} items, two modalities of D = {dims}, k = {k} (self included): S has {graph.NonZeros:N0} entries; k-means {codes} codes × 2 modalities, {iterations} iterations");
        Console.WriteLine();
        Console.WriteLine("| step | wall time | allocated | peak working set growth | vs an N×N float matrix |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        void Row(string name, ReportTiming.Footprint m) =>
            Console.WriteLine($"| {name} | {m.Seconds:F1} s | {m.Allocated / 1e6:F0} MB | {m.PeakGrowth / 1e6:F0} MB | {m.Allocated / dense:P2} of its bytes |");
        Row("item graph S (two kNN builds + mix)", build);
        Row("pseudo-words (two k-means)", kmeans);
        Console.WriteLine($"| reference: one modality's kNN GEMM FLOPs alone | {gemmSeconds:F1} s | | | |");
        Console.WriteLine();
        Console.WriteLine($"Graph build / (2 × GEMM alone): {build.Seconds / (2 * gemmSeconds):F2}×. A dense N×N float32 matrix: {dense / 1e9:F1} GB. Process peak working set after: {process.PeakWorkingSet64 / 1e6:F0} MB (features included).");
        Console.WriteLine("One build after a small warm-up; the machine may be shared, so times are indicative.");
    }
}
