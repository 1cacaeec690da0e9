using System.CommandLine;
using System.Globalization;
using Crane.Examples;
using Crane.Numerics;
using Spectre.Console;

namespace Crane.Cli;

/// <summary><c>crane demo</c>: generates data, trains, prints metrics and a recommendation.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random stream.", DefaultValueFactory = _ => 999 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => new DemoOptions().Epochs };
        var threads = new Option<int>("--threads") { Description = "Worker threads for the kernels (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("demo", "Generate a small synthetic dataset with planted clusters, train a BPR matrix factorisation on it, and show metrics and a recommendation. Takes well under a minute.")
        {
            seed, epochs, threads,
        };
        command.SetAction(parse =>
        {
            Parallelism.Threads = parse.GetValue(threads);
            var options = new DemoOptions(Epochs: parse.GetValue(epochs), Seed: parse.GetValue(seed));
            return Run(options);
        });
        return command;
    }

    static int Run(DemoOptions options)
    {
        ConsoleProgress.Log($"crane demo: {options.Users} users × {options.Items} items in {options.Clusters} planted clusters, " +
                            $"d = {options.Dimension}, {options.Epochs} epochs, seed {options.Seed}, {Parallelism.Threads} threads");
        var result = ConsoleProgress.Run("training", report => FactorizationDemo.Run(options,
            e => ConsoleProgress.Log(string.Create(CultureInfo.InvariantCulture,
                $"epoch {e.Epoch,3}  loss {e.Loss:F4}  {e.Seconds,6:F2}s  test Recall@20 {e.Recall20:F4}  NDCG@20 {e.Ndcg20:F4}")),
            report));

        var last = result.Epochs[^1];
        var table = new Table().AddColumns("model", "Recall@20", "NDCG@20");
        table.AddRow("most popular", F(result.PopularityRecall20), F(result.PopularityNdcg20));
        table.AddRow("BPR-MF (autograd + Adam)", F(last.Recall20), F(last.Ndcg20));
        AnsiConsole.Write(table);

        AnsiConsole.MarkupLine($"Top 10 for user {result.SampleUser} (cluster {result.SampleUserCluster}): " +
            string.Join(", ", result.SampleRecommendations.Select(r => r.Cluster == result.SampleUserCluster
                ? $"[green]{r.Item}[/]" : $"{r.Item}")) + "  (green = the user's own cluster)");
        return 0;
    }

    static string F(double x) => x.ToString("F4", CultureInfo.InvariantCulture);
}
