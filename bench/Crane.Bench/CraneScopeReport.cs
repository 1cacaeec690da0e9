using System.Globalization;
using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Training;

namespace Crane.Bench;

/// <summary>
/// `report crane-scopes (--data DIR | --synthetic PRESET) [--epochs N] [--patience P] [--scopes a,b,…] [--set k=v …]`:
/// trains CRANE once per RCA attention scope (tokens, dense, neighbors) with the trainer's
/// validation-only selection, and prints a Markdown table of the best validation Recall@20, the
/// training seconds it took, and Recall@20 per training minute — the figures the
/// default scope was chosen by.
/// </summary>
public static class CraneScopeReport
{
    internal static void Run(string[] args)
    {
        var arguments = new ReportArgs("report crane-scopes", args);
        string[] sets = arguments.Sets;
        var data = arguments.Data("../shared/data/tiktok");
        var options = new TrainerOptions(Epochs: arguments.Int("--epochs", 30), Patience: arguments.Int("--patience", 10));
        var scopes = arguments.Value("--scopes", "tokens,dense,neighbors").Split(',');
        Console.WriteLine($"crane on {data.Name} ({data.UserCount:N0} users, {data.ItemCount:N0} items, {data.Train.Count:N0} train), " +
                          $"settings [{string.Join(" ", sets)}], up to {options.Epochs} epochs, patience {options.Patience}, seed {options.Seed}, {Parallelism.Threads} threads, {Environment.ProcessorCount} cores");
        var rows = new List<string>();
        foreach (var scope in scopes)
        {
            var model = ModelCatalog.Create(CraneModel.Name, data, ModelSettings.Parse([.. sets, $"attention_scope={scope}"]), options.Seed);
            var trainer = new Trainer(options) { Log = line => Console.WriteLine($"  [{scope}] {line}") };
            var result = trainer.Train(model, data);
            double seconds = result.History.Sum(r => r.TrainSeconds);
            var best = result.History.Single(r => r.Epoch == result.BestEpoch);
            double secondsToBest = result.History.Where(r => r.Epoch <= result.BestEpoch).Sum(r => r.TrainSeconds);
            double recall = best.Validation.Values["recall@20"];
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {scope} | {result.History.Count} | {result.BestEpoch} | {recall:F4} | {seconds / result.History.Count:F1} | {secondsToBest:F0} | {recall / (secondsToBest / 60):F4} |"));
        }
        Console.WriteLine();
        Console.WriteLine("| scope | epochs run | best epoch | best valid R@20 | train s/epoch | train s to best | R@20 per train minute to best |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
    }
}
