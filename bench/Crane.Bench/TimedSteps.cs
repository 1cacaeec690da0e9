using System.Diagnostics;
using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Optim;
using Crane.Training;

namespace Crane.Bench;

/// <summary>Training-step timings of one model on one dataset: wall and process CPU seconds per step, split by phase.</summary>
/// <param name="Model">The catalog name.</param>
/// <param name="BuildSeconds">Constructing the model (its item graphs included).</param>
/// <param name="Steps">Timed steps (after <see cref="TimedSteps.WarmUpSteps"/> warm-up steps).</param>
/// <param name="WallPerStep">Wall seconds per step (loss, backward, Adam).</param>
/// <param name="CpuPerStep">Process CPU seconds per step, all threads.</param>
/// <param name="LossPerStep">Wall seconds per step in the forward pass and loss.</param>
/// <param name="BackwardPerStep">Wall seconds per step in the backward pass.</param>
/// <param name="AdamPerStep">Wall seconds per step in Adam.</param>
/// <param name="BatchesPerEpoch">Steps in one epoch.</param>
/// <param name="AllocatedPerStep">Managed bytes allocated per step, all threads (a fresh N×4096 table would show as 115 MB).</param>
/// <param name="PeakWorkingSetBytes">The process's peak resident memory so far (dataset and runtime included).</param>
internal sealed record StepTimes(string Model, double BuildSeconds, int Steps, double WallPerStep, double CpuPerStep,
    double LossPerStep, double BackwardPerStep, double AdamPerStep, int BatchesPerEpoch, double AllocatedPerStep, long PeakWorkingSetBytes)
{
    /// <summary>Wall seconds per epoch, extrapolated from the timed steps.</summary>
    public double WallPerEpoch => WallPerStep * BatchesPerEpoch;
}

/// <summary>Times training steps as <c>Trainer.RunEpoch</c> takes them (sampler, loss, backward, Adam; batch 2048, seed 999).</summary>
internal static class TimedSteps
{
    /// <summary>Untimed steps before the timed ones (JIT tiering; see <see cref="Run"/>).</summary>
    public const int WarmUpSteps = 5;

    /// <summary>Builds <paramref name="modelName"/> on <paramref name="data"/>, takes <see cref="WarmUpSteps"/> warm-up steps, then times <paramref name="steps"/> steps.</summary>
    public static (StepTimes Times, Recommender Model) Run(string modelName, Dataset data, string[] sets, int steps)
    {
        var build = Stopwatch.StartNew();
        var model = ModelCatalog.Create(modelName, data, ModelSettings.Parse(sets), 999);
        double buildSeconds = build.Elapsed.TotalSeconds;
        var adam = new Adam(model.Parameters, new AdamOptions(LearningRate: 1e-3f));
        var sampler = BatchSampler.For(model.BatchKind, data);
        model.BeginEpoch(1, Rng.ForStream(999, "epoch"));
        using var batches = sampler.Epoch(Rng.ForStream(999, "sampler")).GetEnumerator();
        double loss = 0, backward = 0, step = 0;
        void Step()
        {
            batches.MoveNext();
            adam.ZeroGrad();
            long t0 = Stopwatch.GetTimestamp();
            var value = model.Loss(batches.Current);
            long t1 = Stopwatch.GetTimestamp();
            value.Backward();
            long t2 = Stopwatch.GetTimestamp();
            adam.Step();
            long t3 = Stopwatch.GetTimestamp();
            (loss, backward, step) = (loss + Seconds(t0, t1), backward + Seconds(t1, t2), step + Seconds(t2, t3));
        }
        // Warm-up: .NET runs a method's first ~30 calls as unoptimised tier-0 code, and a step calls
        // many kernels once or twice; with one warm-up step CRANE's TikTok step measured 3× too slow.
        for (int w = 0; w < WarmUpSteps; w++) Step();
        (loss, backward, step) = (0, 0, 0);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var wall = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++) Step();
        double wallPerStep = wall.Elapsed.TotalSeconds / steps;
        double allocatedPerStep = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)steps;
        process.Refresh();
        double cpuPerStep = (process.TotalProcessorTime - cpuBefore).TotalSeconds / steps;
        var times = new StepTimes(modelName, buildSeconds, steps, wallPerStep, cpuPerStep, loss / steps, backward / steps, step / steps,
            sampler.BatchesPerEpoch, allocatedPerStep, PeakWorkingSet());
        return (times, model);
    }

    static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;

    static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
