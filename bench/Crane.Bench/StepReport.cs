using System.Diagnostics;
using Crane.Data;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// `report steps --model NAME (--data DIR | --synthetic PRESET) [--set k=v …] [--steps N]`: times N training steps
/// (loss, backward, Adam) of a model on a dataset folder after the warm-up steps, in wall and
/// process CPU seconds, and scales them by the batches per epoch. CPU seconds are the figure to
/// read on a shared machine (wall time waits for other processes; CPU time mostly does not).
/// </summary>
public static class StepReport
{
    /// <summary>Starts the last line: wall, CPU, loss, backward and Adam seconds per step, batches per epoch, bytes allocated per step, peak working set bytes.</summary>
    internal const string ResultPrefix = "result: ";

    internal static void Run(string[] args)
    {
        var options = new ReportArgs("report steps", args);
        string[] sets = options.Sets;
        string modelName = options.Value("--model");
        int steps = options.Int("--steps", 3);

        var data = options.Data();
        var (t, model) = TimedSteps.Run(modelName, data, sets, steps);
        var eval = Stopwatch.StartNew();
        model.CreateScorer();
        double prepareSeconds = eval.Elapsed.TotalSeconds;
        using var process = Process.GetCurrentProcess();

        Console.WriteLine($"{modelName} on {data.Name} ({data.UserCount:N0} users, {data.ItemCount:N0} items, {data.Train.Count:N0} train), settings [{string.Join(" ", sets)}], {Parallelism.Threads} threads");
        Console.WriteLine($"model built (incl. item graph) in {t.BuildSeconds:F1} s; {steps} steps after {TimedSteps.WarmUpSteps} warm-up steps");
        Console.WriteLine($"per step: {t.WallPerStep:F2} s wall (loss {t.LossPerStep:F2}, backward {t.BackwardPerStep:F2}, Adam {t.AdamPerStep:F2}), {t.CpuPerStep:F2} s CPU ({t.CpuPerStep / Parallelism.Threads:F2} s at full use of {Parallelism.Threads} threads)");
        Console.WriteLine($"allocated per step: {t.AllocatedPerStep / 1e6:F1} MB");
        Console.WriteLine($"per epoch ({t.BatchesPerEpoch} batches): {t.WallPerEpoch:F0} s wall, {t.CpuPerStep / Parallelism.Threads * t.BatchesPerEpoch:F0} s at full use of {Parallelism.Threads} threads");
        Console.WriteLine($"CreateScorer: {prepareSeconds:F2} s wall; process peak working set {process.PeakWorkingSet64 / 1e6:F0} MB");
        // For `report epochs`, which runs each model in a process of its own so the peak is that model's.
        Console.WriteLine(FormattableString.Invariant(
            $"{ResultPrefix}{t.WallPerStep} {t.CpuPerStep} {t.LossPerStep} {t.BackwardPerStep} {t.AdamPerStep} {t.BatchesPerEpoch} {t.AllocatedPerStep} {process.PeakWorkingSet64}"));
    }
}
