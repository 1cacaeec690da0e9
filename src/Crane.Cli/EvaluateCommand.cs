using System.CommandLine;
using Crane.Data;
using Crane.Evaluation;
using Crane.Models;
using Spectre.Console;

namespace Crane.Cli;

/// <summary><c>crane evaluate</c>: full-ranking metrics of a saved model.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var modelFile = new Option<string>("--model-file") { Description = "A saved model (model.crane in a run folder).", Required = true };
        var data = new Option<string?>("--data", "-d") { Description = "Dataset folder to evaluate on (default: the interactions stored in the model file). Must use the model's id space." };
        var split = new Option<string>("--split") { Description = "Which held-out split to score.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "valid");
        var command = new Command("evaluate", "Score a saved model on the test (or validation) split: every item ranked, training items masked, Recall/NDCG/Precision/MAP/Hit at 5, 10, 20 and 50.")
        {
            modelFile, data, split,
        };
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            var loaded = ModelFile.Load(parse.GetRequiredValue(modelFile));
            var dataset = parse.GetValue(data) is { } folder ? SameIdSpace(DataLayer.Load(folder, new Dictionary<string, string>()), loaded.Data, folder) : loaded.Data;
            var which = parse.GetValue(split) == "valid" ? Split.Valid : Split.Test;
            var metrics = Evaluator.Evaluate(loaded.Model, dataset, which);
            AnsiConsole.Write(MetricsTable.Build((which == Split.Valid ? "valid" : "test", metrics)));
            ConsoleProgress.Log($"{ModelCatalog.Display(loaded.Model.Kind)} on {dataset.Name}: {MetricsTable.Users(metrics)}");
            return 0;
        }));
        return command;
    }

    // Scores index users and items by internal id: another id space would silently mean other users.
    static Dataset SameIdSpace(Dataset given, Dataset trained, string folder) =>
        given.UserCount == trained.UserCount && given.ItemCount == trained.ItemCount
            ? given
            : throw new DataException(folder, null, $"has {given.UserCount} users and {given.ItemCount} items, but the model was trained on {trained.UserCount} users and {trained.ItemCount} items.");
}
