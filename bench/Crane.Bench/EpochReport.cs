using System.Diagnostics;
using System.Globalization;
using Crane.Numerics;
using Crane.Tests;
using static Crane.Bench.ReportTiming;

namespace Crane.Bench;

/// <summary>
/// `report epochs [steps]`: seconds per epoch and peak memory of <c>crane</c> and
/// <c>crane-released</c> (both attention axes) on the Baby-sized synthetic preset and on TikTok
/// (../shared/data/tiktok, image + audio; skipped with a message when absent), each extrapolated
/// from <c>steps</c> timed training steps (default 5) after the warm-up steps. LightGCN is timed the
/// same way on the same data in the same run, as the reference the ratio column divides by. Each
/// row runs `report steps` in a process of its own, so its peak working set is that model's
/// (the dataset and the runtime included).
/// </summary>
public static class EpochReport
{
    const string TikTokInter = "data/tiktok/tiktok.inter";

    internal static void Run(int steps)
    {
        Console.WriteLine($"Machine: {CpuModel()}, {Environment.ProcessorCount} cores; {Parallelism.Threads} threads; .NET {Environment.Version}; kernel path {Simd.Width}; load average {LoadAverage()}");
        Console.WriteLine($"Each row: {steps} timed steps after {TimedSteps.WarmUpSteps} warm-up steps, batch 2048, seed 999; s / epoch = s / step × batches.");
        Table("Baby-sized synthetic (preset baby: 4096-d image, 384-d text)", ["--synthetic", "baby"], [], steps);
        var tiktok = SharedFiles.Find(TikTokInter);
        if (tiktok is null)
            Console.WriteLine($"\nSKIPPED TikTok: {TikTokInter} not found in ../shared (relative to the repository root).");
        else
            Table("TikTok (image + audio, 128-d each)", ["--data", Path.GetDirectoryName(tiktok)!], ["modalities=image,audio"], steps);
        Console.WriteLine($"\nLoad average at the end: {LoadAverage()}");
    }

    static void Table(string title, string[] data, string[] modalitySets, int steps)
    {
        Console.WriteLine();
        Console.WriteLine($"{title}:");
        Console.WriteLine();
        Console.WriteLine("| model | settings | s / step (loss, backward, Adam) | CPU s / step | s / epoch | / LightGCN epoch | CPU s / epoch ÷ 2 | MB allocated / step | peak working set |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
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
            var r = StepsInChild(model, data, sets, steps);
            double epoch = r[0] * r[5], cpuEpoch = r[1] / Parallelism.Threads * r[5];
            if (model == "lightgcn") reference = epoch;
            Console.WriteLine($"| {model} | {(sets.Length == 0 ? "defaults" : string.Join(" ", sets))} | {r[0]:F2} ({r[2]:F2}, {r[3]:F2}, {r[4]:F2}) | {r[1]:F2} | {epoch:F1} | {epoch / reference:F1} | {cpuEpoch:F1} | {r[6] / 1e6:F0} | {r[7] / 1e6:F0} MB |");
        }
    }

    /// <summary>Runs `report steps` for one model in a child process and parses its result line.</summary>
    static double[] StepsInChild(string model, string[] data, string[] sets, int steps)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(EpochReport).Assembly.Location);
        foreach (var a in (string[])["report", "steps", "--model", model, .. data, .. sets.SelectMany(s => new[] { "--set", s }), "--steps", steps.ToString(CultureInfo.InvariantCulture)])
            start.ArgumentList.Add(a);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(StepReport.ResultPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"report steps for {model} gave no result (exit code {child.ExitCode}):\n{output}");
        return [.. line[StepReport.ResultPrefix.Length..].Split(' ').Select(x => double.Parse(x, CultureInfo.InvariantCulture))];
    }

    static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }
}
