using Crane.Data;
using Crane.Numerics;
using Crane.Tests;
using static Crane.Bench.ReportTiming;

namespace Crane.Bench;

/// <summary>
/// `report epochs [steps]`: seconds per epoch and peak memory of <c>crane</c> and
/// <c>crane-released</c> (both attention axes) on the Baby-sized synthetic preset and on TikTok
/// (../shared/data/tiktok, image + audio; skipped with a message when absent), each extrapolated
/// from <c>steps</c> timed training steps (default 5) after a warm-up step. LightGCN is timed the
/// same way on the same data in the same process, as the reference the ratio column divides by.
/// Peak memory is the process's peak resident set while the model was built and stepped
/// (reset before each model; the dataset is resident throughout and counted).
/// </summary>
public static class EpochReport
{
    const string TikTokInter = "data/tiktok/tiktok.inter";

    internal static void Run(int steps)
    {
        Console.WriteLine($"Machine: {CpuModel()}, {Environment.ProcessorCount} cores; {Parallelism.Threads} threads; .NET {Environment.Version}; kernel path {Simd.Width}");
        Console.WriteLine($"Each row: {steps} timed steps after a warm-up step, batch 2048, seed 999; s / epoch = s / step × batches.");
        Table("Baby-sized synthetic (preset baby: 4096-d image, 384-d text)", SyntheticGenerator.Generate(SyntheticOptions.Preset("baby")), [], steps);
        var tiktok = SharedFiles.Find(TikTokInter);
        if (tiktok is null)
            Console.WriteLine($"\nSKIPPED TikTok: {TikTokInter} not found in ../shared (relative to the repository root).");
        else
            Table("TikTok (image + audio, 128-d each)", DatasetReader.Load(Path.GetDirectoryName(tiktok)!).Dataset, ["modalities=image,audio"], steps);
    }

    static void Table(string title, Dataset data, string[] modalitySets, int steps)
    {
        Console.WriteLine();
        Console.WriteLine($"{title}: {data.UserCount:N0} users, {data.ItemCount:N0} items, {data.Train.Count:N0} training pairs");
        Console.WriteLine();
        Console.WriteLine("| model | settings | s / step (loss, backward, Adam) | CPU s / step | s / epoch | / LightGCN epoch | peak working set |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        (string Model, string[] Sets)[] runs =
        [
            ("lightgcn", []),
            ("crane", []),
            ("crane-released", [.. modalitySets, "attention_axis=items"]),
            ("crane-released", [.. modalitySets, "attention_axis=modalities"]),
        ];
        double reference = double.NaN;
        foreach (var (model, sets) in runs)
        {
            bool reset = TimedSteps.ResetPeak();
            var (t, _) = TimedSteps.Run(model, data, sets, steps);
            if (model == "lightgcn") reference = t.WallPerEpoch;
            string peak = reset ? $"{t.PeakWorkingSetBytes / 1e6:F0} MB" : $"≤ {t.PeakWorkingSetBytes / 1e6:F0} MB (process)";
            Console.WriteLine($"| {model} | {(sets.Length == 0 ? "defaults" : string.Join(" ", sets))} | {t.WallPerStep:F2} ({t.LossPerStep:F2}, {t.BackwardPerStep:F2}, {t.AdamPerStep:F2}) | {t.CpuPerStep:F2} | {t.WallPerEpoch:F1} | {t.WallPerEpoch / reference:F1} | {peak} |");
        }
    }
}
