using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Serving;
using Crane.Training;
using Spectre.Console;

namespace Crane.Cli;

/// <summary><c>crane demo</c>: synthetic data, BPR and LightGCN trained by the real trainer, a metrics table and a recommendation.</summary>
internal static class DemoCommand
{
    static readonly string[] Models = ["bpr", "lightgcn"];

    public static Command Create()
    {
        var seed = new Option<ulong>("--seed") { Description = "Seed of the data generator and of every random stream.", DefaultValueFactory = _ => 999 };
        var epochs = new Option<int>("--epochs") { Description = "Most epochs per model.", DefaultValueFactory = _ => 60 };
        var patience = new Option<int>("--patience") { Description = "Stop a model after this many epochs without a better validation Recall@20.", DefaultValueFactory = _ => 10 };
        var learningRate = new Option<float>("--lr") { Description = "Adam's learning rate (higher than protocol.md's 1e-3 so the demo stays short).", DefaultValueFactory = _ => 5e-3f };
        var threads = new Option<int>("--threads") { Description = "Worker threads for the kernels (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("demo", "Generate a small synthetic dataset with planted user and item clusters, train BPR and LightGCN on it with " +
            "validation-based early stopping, and show their test metrics and one user's recommendations. About a minute.")
        {
            seed, epochs, patience, learningRate, threads,
        };
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            Parallelism.Threads = parse.GetValue(threads);
            var options = new TrainerOptions(Epochs: parse.GetValue(epochs), Patience: parse.GetValue(patience),
                LearningRate: parse.GetValue(learningRate), Seed: parse.GetValue(seed));
            options.Validate();
            return Run(options);
        }));
        return command;
    }

    static int Run(TrainerOptions options)
    {
        var data = DataLayer.Synthetic(options.Seed);
        ConsoleProgress.Log(string.Create(CultureInfo.InvariantCulture,
            $"crane demo: synthetic data with planted clusters, {data.UserCount:N0} users × {data.ItemCount:N0} items, {data.Train.Count:N0} training interactions; " +
            $"seed {options.Seed}, {Parallelism.Threads} threads"));

        var table = new Table().AddColumns("model", "best epoch", "valid Recall@20", "test Recall@20", "test NDCG@20", "seconds");
        (Recommender Model, double Recall)? best = null;
        foreach (var name in Models)
        {
            var clock = Stopwatch.StartNew();
            var model = ModelCatalog.Create(name, data, new ModelSettings(), options.Seed);
            var result = ConsoleTraining.Train(model, data, options);
            table.AddRow(name, I(result.BestEpoch), F(result.BestValidation["recall@20"]), F(result.Test["recall@20"]), F(result.Test["ndcg@20"]),
                clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
            if (best is null || result.BestValidation["recall@20"] > best.Value.Recall) best = (model, result.BestValidation["recall@20"]);
        }
        AnsiConsole.Write(table);
        ShowRecommendation(best!.Value.Model, data);
        return 0;
    }

    // The first user with a test item: their top 10, with the held-out test items in green.
    static void ShowRecommendation(Recommender model, Dataset data)
    {
        int user = data.Test.Users.Min();
        var held = data.Test.Items.Where((_, e) => data.Test.Users[e] == user).Select(data.ItemIds.Raw).ToHashSet();
        var top = TrainedModel.From(model, data).Recommend(data.UserIds.Raw(user), 10);
        AnsiConsole.MarkupLine($"Top 10 from {model.Kind} for user {Markup.Escape(data.UserIds.Raw(user))}: " +
            string.Join(", ", top.Select(r => held.Contains(r.ItemId) ? $"[green]{Markup.Escape(r.ItemId)}[/]" : Markup.Escape(r.ItemId))) +
            "  (green = an item the user really chose, held out as test)");
    }

    static string F(double x) => x.ToString("F4", CultureInfo.InvariantCulture);

    static string I(int x) => x.ToString(CultureInfo.InvariantCulture);
}
