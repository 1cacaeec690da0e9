using System.Diagnostics;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// `report gemm`: our GEMM on the shapes the models use, timed interleaved with OpenBLAS in the
/// same process (so both see the same machine load), beside this machine's FMA peak.
/// Prints a Markdown table.
/// </summary>
public static class GemmReport
{
    /// <summary>A GEMM shape: op(A) is M×K, op(B) is K×N.</summary>
    public sealed record Shape(string Name, int M, int N, int K, bool TransA, bool TransB)
    {
        public double Flops => 2.0 * M * N * K;
        public override string ToString() => Name;
    }

    /// <summary>The three products that dominate training and scoring.</summary>
    public static readonly Shape[] Shapes =
    [
        new("A·B: (7050×4096)·(4096×64)", 7050, 64, 4096, false, false),
        new("Aᵀ·B: (7050×4096)ᵀ·(7050×64)", 4096, 64, 7050, true, false),
        new("A·Bᵀ: (4096×64)·(7050×64)ᵀ", 4096, 7050, 64, false, true),
    ];

    internal static void Run(int repeats = 9)
    {
        int threads = Parallelism.Threads;
        Console.WriteLine($"Machine: {CpuModel()}, {Environment.ProcessorCount} cores; {threads} threads; .NET {Environment.Version}; kernel path {GemmKernels.Best}");
        if (OpenBlas.Unavailable is { } why) Console.WriteLine($"SKIP OpenBLAS rows: {why}");
        else
        {
            OpenBlas.SetThreadCount(threads);
            Console.WriteLine($"OpenBLAS core: {OpenBlas.Core}");
        }

        // Ours, OpenBLAS and the FMA peak take turns, so all three see the same load from other processes.
        var results = new List<(Shape Shape, double Ours, double Blas, double PairedRatio)>();
        double peak = 0;
        foreach (var s in Shapes)
        {
            var (a, b, c) = Operands(s);
            double ours = 0, blas = 0;
            var ratios = new List<double>();
            for (int r = 0; r <= repeats; r++)   // the first round warms up and is not counted
            {
                double tOurs = Time(() => Gemm.Multiply(a, s.TransA, b, s.TransB, c));
                double tBlas = OpenBlas.Unavailable is null ? Time(() => OpenBlas.Multiply(a, s.TransA, b, s.TransB, c)) : 0;
                peak = Math.Max(peak, FmaPeak.Measure());
                if (r == 0) continue;
                ours = Math.Max(ours, s.Flops / tOurs / 1e9);
                if (tBlas == 0) continue;
                blas = Math.Max(blas, s.Flops / tBlas / 1e9);
                ratios.Add(tBlas / tOurs);
            }
            ratios.Sort();
            results.Add((s, ours, blas, ratios.Count > 0 ? ratios[ratios.Count / 2] : 0));
        }

        Console.WriteLine($"FMA peak ({threads} threads, Vector512 FMA chains): {peak:F1} GFLOP/s");
        Console.WriteLine();
        Console.WriteLine("| shape | ours GFLOP/s | OpenBLAS GFLOP/s | ours / OpenBLAS (best) | ours / OpenBLAS (median pair) | ours / peak |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (s, ours, blas, paired) in results)
        {
            string blasText = blas > 0 ? $"{blas:F1}" : "skipped", best = blas > 0 ? $"{ours / blas:P0}" : "–", pair = blas > 0 ? $"{paired:P0}" : "–";
            Console.WriteLine($"| {s.Name} | {ours:F1} | {blasText} | {best} | {pair} | {ours / peak:P0} |");
        }
        Console.WriteLine();
        Console.WriteLine($"GFLOP/s = 2·m·n·k / time, best of {repeats} rounds after a warm-up; each round runs ours, OpenBLAS and the");
        Console.WriteLine("FMA-peak loop back to back. \"median pair\" is the median over rounds of OpenBLAS time / our time.");
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

    static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }

    static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return "unknown CPU";
    }
}
