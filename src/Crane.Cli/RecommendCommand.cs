using System.CommandLine;
using System.Globalization;
using Crane.Models;
using Crane.Serving;
using Spectre.Console;

namespace Crane.Cli;

/// <summary><c>crane recommend</c>: top-k items for one user of a saved model, raw ids in and out.</summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var modelFile = new Option<string>("--model-file") { Description = "A saved model (model.crane in a run folder).", Required = true };
        var user = new Option<string>("--user", "-u") { Description = "The user's id as in your data files.", Required = true };
        var k = new Option<int>("--k") { Description = "How many items.", DefaultValueFactory = _ => 20 };
        var includeSeen = new Option<bool>("--include-seen") { Description = "Also recommend items the user already has in training (left out by default)." };
        var fallback = new Option<string>("--fallback") { Description = "For a user the model does not know: 'none' (an error) or 'popular' (the most popular training items).", DefaultValueFactory = _ => "none" };
        fallback.AcceptOnlyFromAmong("none", "popular");
        var command = new Command("recommend", "Recommend items for a user from a saved model; ids are the raw ids of your data files.")
        {
            modelFile, user, k, includeSeen, fallback,
        };
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            int count = parse.GetValue(k);
            if (count < 1) throw new ArgumentException($"--k must be at least 1, got {count}.");
            var loaded = ModelFile.Load(parse.GetRequiredValue(modelFile));
            var raw = parse.GetRequiredValue(user);
            IReadOnlyList<Recommendation> items;
            if (loaded.Data.UserIds.TryGetId(raw, out int id))
            {
                items = Recommendations.ForUser(loaded.Model, loaded.Data, id, count, parse.GetValue(includeSeen));
            }
            else if (parse.GetValue(fallback) == "popular")
            {
                ConsoleProgress.Log($"User '{raw}' is not in the model's data; showing the {count} most popular training items.");
                items = Recommendations.MostPopular(loaded.Data, count);
            }
            else
            {
                throw new ArgumentException($"User '{raw}' is not in the model's data (it knows {loaded.Data.UserCount:N0} users). " +
                    "Check the id, or pass --fallback popular for the most popular items.");
            }
            var table = new Table().AddColumn(new TableColumn("rank").RightAligned()).AddColumn("item").AddColumn(new TableColumn("score").RightAligned());
            for (int r = 0; r < items.Count; r++)
                table.AddRow((r + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(items[r].RawItem), items[r].Score.ToString("G6", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
