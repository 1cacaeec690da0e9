using Crane.Numerics;
using static Crane.Bench.ReportTiming;

namespace Crane.Bench;

/// <summary>
/// `report attention`: the <see cref="AttentionBenchmarks"/> cases (N = 7,050, d = 64) timed in turns
/// in one process, so the block-wise and naive versions see the same machine load; a quicker
/// check than BenchmarkDotNet. Prints a Markdown table.
/// </summary>
public static class AttentionReport
{
    internal static void Run(int rounds = 3)
    {
        var bench = new AttentionBenchmarks { N = 7050 };
        bench.Setup();
        Console.WriteLine($"Machine: {CpuModel()}, {Environment.ProcessorCount} cores; {Parallelism.Threads} threads; .NET {Environment.Version}; kernel path {Simd.Width}");
        Console.WriteLine($"Self-attention N = {bench.N}, d = dv = 64.");

        var times = new List<double[]>();
        for (int r = 0; r <= rounds; r++)   // the first round warms up and is not counted
        {
            double[] t =
            [
                Time(() => bench.NaiveForward()), Time(() => bench.BlockForward()),
                Time(() => bench.NaiveForwardBackward()), Time(() => bench.BlockForwardBackward()),
            ];
            if (r > 0) times.Add(t);
        }

        Console.WriteLine();
        Console.WriteLine("| pass | naive ms (best) | block-wise ms (best) | block-wise / naive |");
        Console.WriteLine("|---|---:|---:|---:|");
        Row("Forward", 0, 1);
        Row("Forward+backward", 2, 3);
        Console.WriteLine();
        Console.WriteLine($"Block-wise forward+backward / forward: {Median(times.Select(t => t[3] / t[1])):F2}");
        Console.WriteLine($"{rounds} rounds after a warm-up, each timing the four calls back to back; ratios: median over rounds of the paired ratios.");

        void Row(string pass, int naive, int block) =>
            Console.WriteLine($"| {pass} | {times.Min(t => t[naive]) * 1e3:F0} | {times.Min(t => t[block]) * 1e3:F0} | {Median(times.Select(t => t[block] / t[naive])):F3} |");
    }
}
