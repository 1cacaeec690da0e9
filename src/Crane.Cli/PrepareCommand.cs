using System.CommandLine;
using Crane.Data;

namespace Crane.Cli;

/// <summary><c>crane prepare</c>: a raw interactions file → an MMRec-layout dataset folder.</summary>
internal static class PrepareCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Raw interactions: CSV or TSV with a header row, one interaction per line.", Required = true };
        var userColumn = new Option<string>("--user-col") { Description = "Column of the user id.", DefaultValueFactory = _ => "user_id" };
        var itemColumn = new Option<string>("--item-col") { Description = "Column of the item id.", DefaultValueFactory = _ => "item_id" };
        var ratingColumn = new Option<string?>("--rating-col") { Description = "Rating column, read when --min-rating is given (default: rating)." };
        var minRating = new Option<float?>("--min-rating") { Description = "Keep only interactions rated at least this (default: keep all)." };
        var timestampColumn = new Option<string?>("--timestamp-col") { Description = "Timestamp column (accepted for MMRec compatibility; the split is a seeded shuffle, not by time)." };
        var features = new Option<string[]>("--features") { Description = "Item features as name=file (repeatable): a table keyed by raw item id, written as <name>_feat.npy in item order." };
        var kcore = new Option<int>("--kcore") { Description = "Keep only users and items with at least k interactions, repeated until stable (0 = no filter).", DefaultValueFactory = _ => 5 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the per-user shuffle that splits train / valid / test.", DefaultValueFactory = _ => 999 };
        var output = new Option<string>("--out", "-o") { Description = "Dataset folder to write.", Required = true };
        var overwrite = OutputFolder.OverwriteOption();
        var name = new Option<string?>("--name") { Description = "The dataset's name, which names its <name>.inter file (default: the --out folder's name, as MMRec's folders are named)." };
        var command = new Command("prepare", "Turn a raw interactions file (and optional item feature files) into a dataset folder: k-core filter, " +
            "contiguous ids with the id maps saved, and MMRec's per-user split (n < 10: one valid, one test; else 10% / 10%).")
        {
            input, userColumn, itemColumn, ratingColumn, minRating, timestampColumn, features, kcore, seed, output, overwrite, name,
        };
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            int k = parse.GetValue(kcore);
            if (k < 0) throw new ArgumentException($"--kcore must be 0 or more, got {k}.");
            OutputFolder.Check(parse.GetRequiredValue(output), parse.GetValue(overwrite), DatasetWriter.IsDatasetFile, "dataset folder");   // before the read, k-core and split
            var summary = DataLayer.Prepare(new PrepareRequest(parse.GetRequiredValue(input), parse.GetRequiredValue(userColumn), parse.GetRequiredValue(itemColumn),
                parse.GetValue(ratingColumn), parse.GetValue(minRating), parse.GetValue(timestampColumn), KeyValues.Parse(parse.GetValue(features), "--features"),
                k, parse.GetValue(seed), parse.GetRequiredValue(output), parse.GetValue(overwrite),
                parse.GetValue(name) ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(parse.GetRequiredValue(output))))));
            ConsoleProgress.Log(summary);
            return 0;
        }));
        return command;
    }
}
