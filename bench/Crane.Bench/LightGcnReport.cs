using System.Diagnostics;
using Crane.Data;
using Crane.Evaluation;
using Crane.Graphs;
using Crane.Models;
using Crane.Numerics;
using Crane.Optim;
using Crane.Training;

namespace Crane.Bench;

/// <summary>
/// `report lightgcn`: LightGCN (2 layers, d = 64) on Amazon Baby end to end, with a Stopwatch
/// breakdown of the training step (sampling, forward, backward, Adam), one full evaluation pass
/// of all test users, memory, and a reference timed in the same process: one full-graph SpMM
/// Â·X, of which the textbook step needs four. Prints Markdown.
/// </summary>
public static class LightGcnReport
{
    sealed record Row(int Threads, double[] Epochs, double Sample, double Forward, double Backward, double Adam,
        double SpMM, double[] Evals, double AllocatedPerStep, int Gen2PerEpoch);

    /// <param name="threadCounts">Thread counts to measure, in turn, in this process.</param>
    /// <param name="epochs">Timed epochs per thread count (after one warm-up epoch).</param>
    internal static void Run(int[] threadCounts, int epochs = 2)
    {
        if (SharedFiles.Find(BabyGraph.SharedPath) is null)
        {
            Console.WriteLine($"SKIP: {BabyGraph.SharedPath} not found in shared/ beside the repository.");
            return;
        }
        var data = BabyGraph.Data;
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {Simd.Width}; load average at start: {LoadAverage()}");
        Console.WriteLine($"Baby: {data.UserCount} users, {data.ItemCount} items, {data.Train.Count} training pairs; LightGCN n_layers 2, d 64, batch 2048");
        var rows = new List<Row>();
        foreach (int threads in threadCounts)
        {
            Parallelism.Threads = threads;
            rows.Add(Measure(data, threads, epochs));
        }
        Parallelism.Threads = Environment.ProcessorCount;

        Console.WriteLine();
        Console.WriteLine("| threads | s / epoch | sample | forward | backward | Adam | 1 SpMM Â·X (ref) | step / 4 SpMM | s / eval pass | MB allocated / step | gen-2 GCs / epoch |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            int steps = (data.Train.Count + BprSampler.DefaultBatchSize - 1) / BprSampler.DefaultBatchSize;
            double step = r.Epochs.Min() / steps;
            Console.WriteLine($"| {r.Threads} | {Seconds(r.Epochs)} | {Ms(r.Sample)} | {Ms(r.Forward)} | {Ms(r.Backward)} | {Ms(r.Adam)} | {Ms(r.SpMM)} | " +
                $"{step / (4 * r.SpMM):F2} | {Seconds(r.Evals)} | {r.AllocatedPerStep / 1e6:F1} | {r.Gen2PerEpoch} |");
        }
        Console.WriteLine();
        Console.WriteLine("Phase columns: milliseconds per step, summed over the best epoch's steps / steps. SpMM: median of 20 products.");
        Console.WriteLine($"Peak working set of this process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB; " +
            $"GC heap after the run: {GC.GetTotalMemory(false) / (1024.0 * 1024):F0} MiB; load average at end: {LoadAverage()}");
    }

    static Row Measure(Dataset data, int threads, int epochs)
    {
        var model = new LightGcn(data, new ModelSettings(), seed: 999);
        var adam = new Adam(model.Parameters);
        var sampler = new BprSampler(data);
        var rng = Rng.ForStream(999, "sampler");
        var graph = UserItemGraph.NormalizedAdjacency(data);

        var best = new double[4];
        var epochTimes = new double[epochs];
        long allocated = 0;
        int gen2 = 0;
        for (int e = 0; e <= epochs; e++) // epoch 0 warms up
        {
            var phases = new double[4];
            long bytes0 = GC.GetTotalAllocatedBytes(precise: true);
            int gc0 = GC.CollectionCount(2);
            var total = Stopwatch.StartNew();
            var clock = new Stopwatch();
            int steps = 0;
            using var batches = sampler.Epoch(rng).GetEnumerator();
            while (true)
            {
                clock.Restart();
                if (!batches.MoveNext()) break;
                phases[0] += clock.Elapsed.TotalSeconds;
                clock.Restart();
                adam.ZeroGrad();
                var loss = model.Loss(batches.Current);
                phases[1] += clock.Elapsed.TotalSeconds;
                clock.Restart();
                loss.Backward();
                phases[2] += clock.Elapsed.TotalSeconds;
                clock.Restart();
                adam.Step();
                phases[3] += clock.Elapsed.TotalSeconds;
                steps++;
            }
            double seconds = total.Elapsed.TotalSeconds;
            if (e == 0) continue;
            epochTimes[e - 1] = seconds;
            allocated = (GC.GetTotalAllocatedBytes(precise: true) - bytes0) / steps;
            gen2 = GC.CollectionCount(2) - gc0;
            if (seconds <= epochTimes.Where(t => t > 0).Min())
                for (int k = 0; k < 4; k++) best[k] = phases[k] / steps;
        }

        // Reference: the full-graph product the step is built from, on the same graph and width.
        var x = model.Parameters[0].Value;
        var y = x.ZerosLike();
        var spmm = new double[20];
        for (int k = 0; k < spmm.Length; k++)
        {
            var clock = Stopwatch.StartNew();
            SpMM.Multiply(graph, x, y);
            spmm[k] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(spmm);

        var evals = new double[3];
        Evaluator.Evaluate(model, data, Split.Test); // warm-up
        for (int k = 0; k < evals.Length; k++)
        {
            var clock = Stopwatch.StartNew();
            Evaluator.Evaluate(model, data, Split.Test);
            evals[k] = clock.Elapsed.TotalSeconds;
        }
        return new Row(threads, epochTimes, best[0], best[1], best[2], best[3], spmm[spmm.Length / 2], evals, allocated, gen2);
    }

    static string Seconds(double[] runs) => runs.Length == 1 ? $"{runs[0]:F2}" : $"{runs.Min():F2} (–{runs.Max():F2})";

    static string Ms(double seconds) => $"{seconds * 1e3:F1}";

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
