using Crane.Numerics;
using static Crane.Bench.ReportTiming;

namespace Crane.Bench;

/// <summary>
/// `report attention [rounds] [d]`: the <see cref="AttentionBenchmarks"/> cases (N = 7,050, d = 64
/// by default) timed in turns in one process, so the block-wise and naive versions see the same
/// machine load; a quicker check than BenchmarkDotNet. With d = 16 it also times the general
/// block-wise path with <see cref="SmallHeadAttention"/> switched off, the reference for the
/// small-head kernel. Prints a Markdown table.
/// </summary>
public static class AttentionReport
{
    internal static void Run(int rounds = 3, int d = 64)
    {
        var bench = new AttentionBenchmarks { N = 7050, D = d };
        bench.Setup();
        bool small = d == SmallHeadAttention.Width;
        Console.WriteLine($"Machine: {CpuModel()}, {Environment.ProcessorCount} cores; {Parallelism.Threads} threads; .NET {Environment.Version}; kernel path {Simd.Width}");
        Console.WriteLine($"Self-attention N = {bench.N}, d = dv = {d}.");

        // Process CPU seconds rather than wall seconds: on a shared machine a call waits for the
        // other processes' time slices, which CPU time mostly does not count.
        double Cpu(Func<object> call)
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            var before = process.TotalProcessorTime;
            call();
            process.Refresh();
            return (process.TotalProcessorTime - before).TotalSeconds;
        }
        double General(Func<object> call)
        {
            SmallHeadAttention.Enabled = false;
            try { return Cpu(call); }
            finally { SmallHeadAttention.Enabled = true; }
        }
        var times = new List<double[]>();
        for (int r = 0; r <= rounds; r++)   // the first round warms up and is not counted
        {
            double[] t =
            [
                Time(() => bench.NaiveForward()), Time(() => bench.BlockForward()),
                Time(() => bench.NaiveForwardBackward()), Time(() => bench.BlockForwardBackward()),
                small ? General(bench.BlockForward) : double.NaN, small ? General(bench.BlockForwardBackward) : double.NaN,
                small ? Cpu(bench.BlockForward) : double.NaN, small ? Cpu(bench.BlockForwardBackward) : double.NaN,
            ];
            if (r > 0) times.Add(t);
        }

        Console.WriteLine();
        Console.WriteLine("| pass | naive ms (best) | block-wise ms (best) | block-wise / naive |");
        Console.WriteLine("|---|---:|---:|---:|");
        Row("Forward", 0, 1);
        Row("Forward+backward", 2, 3);
        if (small)
        {
            Console.WriteLine();
            Console.WriteLine("Process CPU time per call (all threads):");
            Console.WriteLine("| pass | general block-wise CPU ms (best) | small-head CPU ms (best) | small-head / general | small-head GFLOP per CPU s (best) |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            // Forward 2 products of 2·N²·d FLOPs; forward+backward adds 5 more (S, dP, dV, dK, dQ).
            double flops = 2.0 * bench.N * bench.N * d;
            SmallRow("Forward", 4, 6, 2 * flops);
            SmallRow("Forward+backward", 5, 7, 7 * flops);
        }
        Console.WriteLine();
        Console.WriteLine($"Block-wise forward+backward / forward: {Median(times.Select(t => t[3] / t[1])):F2}");
        Console.WriteLine($"{rounds} rounds after a warm-up, each timing the calls back to back; ratios: median over rounds of the paired ratios.");

        void Row(string pass, int naive, int block) =>
            Console.WriteLine($"| {pass} | {times.Min(t => t[naive]) * 1e3:F0} | {times.Min(t => t[block]) * 1e3:F0} | {Median(times.Select(t => t[block] / t[naive])):F3} |");
        void SmallRow(string pass, int general, int fast, double flops) =>
            Console.WriteLine($"| {pass} | {times.Min(t => t[general]) * 1e3:F0} | {times.Min(t => t[fast]) * 1e3:F0} | {Median(times.Select(t => t[fast] / t[general])):F3} | {flops / times.Min(t => t[fast]) / 1e9:F1} |");
    }
}
