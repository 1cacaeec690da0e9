using System.Diagnostics;
using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Optim;
using Crane.Training;

namespace Crane.Bench;

/// <summary>
/// `report steps --model NAME (--data DIR | --synthetic PRESET) [--set k=v …] [--steps N]`: times N training steps
/// (loss, backward, Adam) of a model on a dataset folder after one warm-up step, in wall and
/// process CPU seconds, and scales them by the batches per epoch. CPU seconds are the figure to
/// read on a shared machine (wall time waits for other processes; CPU time mostly does not).
/// </summary>
public static class StepReport
{
    internal static void Run(string[] args)
    {
        string Option(string name, string? fallback = null) =>
            args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback ?? throw new ArgumentException($"report steps needs {name}.");
        var sets = args.Select((a, i) => (a, i)).Where(p => p.a == "--set").Select(p => args[p.i + 1]).ToArray();
        string modelName = Option("--model"), preset = Option("--synthetic", "");
        int steps = int.Parse(Option("--steps", "3"));

        var data = preset.Length > 0 ? SyntheticGenerator.Generate(SyntheticOptions.Preset(preset)) : DatasetReader.Load(Option("--data")).Dataset;
        var build = Stopwatch.StartNew();
        var model = ModelCatalog.Create(modelName, data, ModelSettings.Parse(sets), 999);
        double buildSeconds = build.Elapsed.TotalSeconds;
        var adam = new Adam(model.Parameters, new AdamOptions(LearningRate: 1e-3f));
        var sampler = BatchSampler.For(model.BatchKind, data);
        var rng = Rng.ForStream(999, "sampler");
        model.BeginEpoch(1, Rng.ForStream(999, "epoch"));
        using var batches = sampler.Epoch(rng).GetEnumerator();

        void Step()
        {
            batches.MoveNext();
            adam.ZeroGrad();
            model.Loss(batches.Current).Backward();
            adam.Step();
        }
        Step(); // warm-up
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++) Step();
        double wallPerStep = wall.Elapsed.TotalSeconds / steps;
        process.Refresh();
        double cpuPerStep = (process.TotalProcessorTime - cpuBefore).TotalSeconds / steps;

        var eval = Stopwatch.StartNew();
        model.PrepareForScoring();
        double prepareSeconds = eval.Elapsed.TotalSeconds;
        process.Refresh();

        Console.WriteLine($"{modelName} on {data.Name} ({data.UserCount:N0} users, {data.ItemCount:N0} items, {data.Train.Count:N0} train), settings [{string.Join(" ", sets)}], {Parallelism.Threads} threads");
        Console.WriteLine($"model built (incl. item graph) in {buildSeconds:F1} s; {steps} steps after a warm-up step");
        Console.WriteLine($"per step: {wallPerStep:F2} s wall, {cpuPerStep:F2} s CPU ({cpuPerStep / Parallelism.Threads:F2} s at full use of {Parallelism.Threads} threads)");
        Console.WriteLine($"per epoch ({sampler.BatchesPerEpoch} batches): {wallPerStep * sampler.BatchesPerEpoch:F0} s wall, {cpuPerStep / Parallelism.Threads * sampler.BatchesPerEpoch:F0} s at full use of {Parallelism.Threads} threads");
        Console.WriteLine($"PrepareForScoring: {prepareSeconds:F2} s wall; process peak working set {process.PeakWorkingSet64 / 1e6:F0} MB");
    }
}
