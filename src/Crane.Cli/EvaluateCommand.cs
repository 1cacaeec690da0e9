using System.CommandLine;
using Crane.Data;
using Crane.Evaluation;
using System.Text.Json;
using Crane.Models;
using Crane.Serving;
using Spectre.Console;

namespace Crane.Cli;

/// <summary><c>crane evaluate</c>: full-ranking metrics of a saved model.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var modelFile = new Option<string>("--model-file") { Description = "A saved model (model.crane in a run folder).", Required = true };
        var data = new Option<string?>("--data", "-d") { Description = "Dataset folder to evaluate on (default: the data folder in config.json beside the model file). Must have the model's users and items." };
        var split = new Option<string>("--split") { Description = "Which held-out split to score.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "valid");
        var command = new Command("evaluate", "Score a saved model on the test (or validation) split: every item ranked, training items masked, Recall/NDCG/Precision/MAP/Hit at 5, 10, 20 and 50.")
        {
            modelFile, data, split,
        };
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            string path = parse.GetRequiredValue(modelFile);
            var trained = TrainedModel.Load(path);
            string folder = parse.GetValue(data) ?? RunDataFolder(path);
            var dataset = SameIdSpace(DataLayer.Load(folder, new Dictionary<string, string>(), allowSparseIds: true).Data, trained, folder);   // the model was trained on these ids
            var which = parse.GetValue(split) == "valid" ? Split.Valid : Split.Test;
            var metrics = Evaluator.Evaluate(trained.Scorer, dataset, which);
            AnsiConsole.Write(MetricsTable.Build((which == Split.Valid ? "valid" : "test", metrics)));
            ConsoleProgress.Log($"{ModelCatalog.Display(trained.Kind)} on {dataset.Name}: {MetricsTable.Users(metrics)}");
            return 0;
        }));
        return command;
    }

    // A model file carries no held-out splits; a run folder's config.json names the data it was trained on.
    static string RunDataFolder(string modelFile)
    {
        string config = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelFile))!, "config.json");
        if (!File.Exists(config))
            throw new ArgumentException($"A model file carries no validation or test interactions, and there is no config.json beside {modelFile} naming its data: pass --data <dataset folder>.");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(config));
            return json.RootElement.GetProperty("data").GetString() ?? throw new KeyNotFoundException();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new DataException(config, null, "has no \"data\" folder; pass --data <dataset folder>.");
        }
    }

    // Scores index users and items by internal id: another id space would silently mean other users.
    static Dataset SameIdSpace(Dataset given, TrainedModel trained, string folder)
    {
        if (given.UserCount != trained.UserCount || given.ItemCount != trained.ItemCount)
            throw new DataException(folder, null, $"has {given.UserCount} users and {given.ItemCount} items, but the model was trained on {trained.UserCount} users and {trained.ItemCount} items.");
        for (int u = 0; u < given.UserCount; u++)
            if (given.UserIds.Raw(u) != trained.UserIds.Raw(u))
                throw new DataException(folder, null, $"names user {u} '{given.UserIds.Raw(u)}', but the model's user {u} is '{trained.UserIds.Raw(u)}': it is not the dataset the model was trained on.");
        for (int i = 0; i < given.ItemCount; i++)
            if (given.ItemIds.Raw(i) != trained.ItemIds.Raw(i))
                throw new DataException(folder, null, $"names item {i} '{given.ItemIds.Raw(i)}', but the model's item {i} is '{trained.ItemIds.Raw(i)}': it is not the dataset the model was trained on.");
        return given;
    }
}
