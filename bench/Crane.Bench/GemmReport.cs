using Crane.Numerics;
using static Crane.Bench.ReportTiming;

namespace Crane.Bench;

/// <summary>
/// `report gemm`: our GEMM on the shapes the models use, timed interleaved with OpenBLAS in the
/// same process (so both see the same machine load), beside this machine's FMA peak.
/// Prints a Markdown table.
/// </summary>
public static class GemmReport
{
    /// <summary>A GEMM shape: op(A) is M×K, op(B) is K×N.</summary>
    public sealed record Shape(string Key, string Name, int M, int N, int K, bool TransA, bool TransB)
    {
        public double Flops => 2.0 * M * N * K;
        public override string ToString() => Key;   // short, for BenchmarkDotNet's parameter column
    }

    /// <summary>The three products that dominate training and scoring.</summary>
    public static readonly Shape[] Shapes =
    [
        new("A·B", "A·B: (7050×4096)·(4096×64)", 7050, 64, 4096, false, false),
        new("Aᵀ·B", "Aᵀ·B: (7050×4096)ᵀ·(7050×64)", 4096, 64, 7050, true, false),
        new("A·Bᵀ", "A·Bᵀ: (4096×64)·(7050×64)ᵀ", 4096, 7050, 64, false, true),
    ];

    internal static void Run(int repeats = 15)
    {
        int threads = Parallelism.Threads;
        Console.WriteLine($"Machine: {CpuModel()}, {Environment.ProcessorCount} cores; {threads} threads; .NET {Environment.Version}; kernel path {Simd.Width}");
        if (OpenBlas.Unavailable is { } why) Console.WriteLine($"SKIP OpenBLAS rows: {why}");
        else
        {
            OpenBlas.SetThreadCount(threads);
            Console.WriteLine($"OpenBLAS core: {OpenBlas.Core}");
        }

        // Ours, OpenBLAS and the FMA peak (as many flops as the product) take turns, so all three see
        // the same load from other processes; ratios are medians over rounds of the paired timings.
        Console.WriteLine();
        Console.WriteLine("| shape | ours GFLOP/s | OpenBLAS GFLOP/s | FMA peak GFLOP/s | ours / OpenBLAS | ours / peak |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var s in Shapes)
        {
            var (a, b, c) = Operands(s);
            var ours = new List<double>();
            var blas = new List<double>();
            var peak = new List<double>();
            for (int r = 0; r <= repeats; r++)   // the first round warms up and is not counted
            {
                double tOurs = Time(() => Gemm.Multiply(a, s.TransA, b, s.TransB, c));
                double tBlas = OpenBlas.Unavailable is null ? Time(() => OpenBlas.Multiply(a, s.TransA, b, s.TransB, c)) : 0;
                double p = FmaPeak.Measure(s.Flops);
                if (r == 0) continue;
                ours.Add(s.Flops / tOurs / 1e9);
                if (tBlas > 0) blas.Add(s.Flops / tBlas / 1e9);
                peak.Add(p);
            }
            string blasText = blas.Count > 0 ? $"{blas.Max():F1}" : "skipped";
            string vsBlas = blas.Count > 0 ? $"{Median(ours.Select((o, i) => o / blas[i])):P0}" : "–";
            string vsPeak = $"{Median(ours.Select((o, i) => o / peak[i])):P0}";
            Console.WriteLine($"| {s.Name} | {ours.Max():F1} | {blasText} | {peak.Max():F1} | {vsBlas} | {vsPeak} |");
        }
        Console.WriteLine();
        Console.WriteLine($"{repeats} rounds after a warm-up; each round times ours, OpenBLAS and the FMA-peak loop back to back.");
        Console.WriteLine("GFLOP/s columns: best round (2·m·n·k / time). Ratios: median over rounds of the paired ratios.");
    }

    /// <summary>Random operands for a shape, stored as its transposes ask.</summary>
    public static (Tensor A, Tensor B, Tensor C) Operands(Shape s)
    {
        var rng = new Random(42);
        Tensor Random(int rows, int cols)
        {
            var t = new Tensor(rows, cols);
            for (int i = 0; i < t.Length; i++) t.Data[i] = (float)rng.NextDouble() - 0.5f;
            return t;
        }
        return (s.TransA ? Random(s.K, s.M) : Random(s.M, s.K), s.TransB ? Random(s.N, s.K) : Random(s.K, s.N), new Tensor(s.M, s.N));
    }
}
