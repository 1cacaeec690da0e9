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
/// Â·X after every step (the textbook step is four of them plus Adam). Prints Markdown.
/// </summary>
public static class LightGcnReport
{
    /// <summary>One thread count's figures; times in seconds, phases per step.</summary>
    sealed record Row(int Threads, double[] Epochs, double[] EpochCpu, double[] Phases, double SpMMPerStep,
        double[] Evals, double[] EvalCpu, double AllocatedPerStep, int Gen2PerEpoch, double GcPausePerStep);

    /// <param name="threadCounts">Thread counts to measure, in turn, in this process.</param>
    /// <param name="epochs">Timed epochs per thread count (after one warm-up epoch).</param>
    internal static void Run(int[] threadCounts, int epochs = 3)
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
        Console.WriteLine("| threads | s / epoch | CPU s / epoch | ms / step: sample | forward | backward | Adam | ref: 1 SpMM Â·X | step / ref | s / eval pass | CPU s / eval | MB allocated / step | gen-2 GCs / epoch | GC pause ms / step |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            double step = r.Phases.Sum();
            Console.WriteLine($"| {r.Threads} | {Range(r.Epochs)} | {Range(r.EpochCpu)} | {Ms(r.Phases[0])} | {Ms(r.Phases[1])} | {Ms(r.Phases[2])} | {Ms(r.Phases[3])} | " +
                $"{Ms(r.SpMMPerStep)} | {step / r.SpMMPerStep:F1} | {Range(r.Evals)} | {Range(r.EvalCpu)} | {r.AllocatedPerStep / 1e6:F1} | {r.Gen2PerEpoch} | {Ms(r.GcPausePerStep)} |");
        }
        Console.WriteLine();
        Console.WriteLine($"Epochs: best (–worst) of {epochs} after a warm-up epoch; an epoch is the sum of its steps' phases, as Trainer.RunEpoch runs them. " +
            "Phase columns and the reference: per step, in the best epoch. The reference product Â·X (26,495×64) is timed after every step, " +
            $"outside the step, so both see the same load. Eval: Evaluator.Evaluate on the test split (all users), best (–worst) of 3. CPU: process CPU time, all threads.");
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
        var reference = model.Parameters[0].Value.ZerosLike();

        var (epochTimes, epochCpu) = (new double[epochs], new double[epochs]);
        var best = new double[4];
        double bestReference = 0, pause = 0;
        long allocated = 0;
        int gen2 = 0;
        var clock = new Stopwatch();
        for (int e = 0; e <= epochs; e++) // epoch 0 warms up
        {
            var phases = new double[4];
            double referenceSeconds = 0, cpu = 0;
            long bytes0 = GC.GetTotalAllocatedBytes(precise: true);
            int gc0 = GC.CollectionCount(2);
            var pause0 = GC.GetTotalPauseDuration();
            int steps = 0;
            using var batches = sampler.Epoch(rng).GetEnumerator();
            while (true)
            {
                var cpu0 = CpuTime();
                clock.Restart();
                if (!batches.MoveNext()) break;
                phases[0] += Lap(clock);
                adam.ZeroGrad();
                var loss = model.Loss(batches.Current);
                phases[1] += Lap(clock);
                loss.Backward();
                phases[2] += Lap(clock);
                adam.Step();
                phases[3] += Lap(clock);
                cpu += CpuTime() - cpu0;
                steps++;
                SpMM.Multiply(graph, model.Parameters[0].Value, reference);
                referenceSeconds += Lap(clock);
            }
            if (e == 0) continue;
            epochTimes[e - 1] = phases.Sum();
            epochCpu[e - 1] = cpu;
            allocated = (GC.GetTotalAllocatedBytes(precise: true) - bytes0) / steps;
            gen2 = GC.CollectionCount(2) - gc0;
            pause = (GC.GetTotalPauseDuration() - pause0).TotalSeconds / steps;
            if (phases.Sum() <= epochTimes[..e].Min())
            {
                for (int k = 0; k < 4; k++) best[k] = phases[k] / steps;
                bestReference = referenceSeconds / steps;
            }
        }

        var (evals, evalCpu) = (new double[3], new double[3]);
        Evaluator.Evaluate(model, data, Split.Test); // warm-up
        for (int k = 0; k < evals.Length; k++)
        {
            var cpu0 = CpuTime();
            clock.Restart();
            Evaluator.Evaluate(model, data, Split.Test);
            evals[k] = Lap(clock);
            evalCpu[k] = CpuTime() - cpu0;
        }
        return new Row(threads, epochTimes, epochCpu, best, bestReference, evals, evalCpu, allocated, gen2, pause);
    }

    /// <summary>Seconds since the last lap; restarts the clock.</summary>
    static double Lap(Stopwatch clock)
    {
        double s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }

    static double CpuTime() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    static string Range(double[] runs) => runs.Length == 1 ? $"{runs[0]:F2}" : $"{runs.Min():F2} (–{runs.Max():F2})";

    static string Ms(double seconds) => $"{seconds * 1e3:F1}";

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
