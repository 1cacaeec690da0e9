using System.CommandLine;
using Crane.Data;
using Crane.Featurize;

namespace Crane.Cli;

/// <summary><c>crane featurize</c>: a dataset folder's item text → its <c>text_feat.npy</c>, in process.</summary>
internal static class FeaturizeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "Dataset folder with an item_text.tsv (item id, text).", Required = true };
        var missing = new Option<string>("--missing") { Description = "Items without text: 'error' (listed, nothing written) or 'mean' (MMRec's rule: the mean of the other items' vectors).", DefaultValueFactory = _ => "error" };
        missing.AcceptOnlyFromAmong("error", "mean");
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing text_feat.npy." };
        var command = new Command("featurize", "Compute the text modality (text_feat.npy, 384-d all-MiniLM-L6-v2, as MMRec makes it) from the dataset's item_text.tsv, in process; no Python.")
        {
            data, missing, overwrite,
        };
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            string folder = parse.GetRequiredValue(data);
            string output = Path.Combine(folder, "text" + DatasetReader.FeatureSuffix);
            if (File.Exists(output) && !parse.GetValue(overwrite))
                throw new DataException(output, null, "exists already; pass --overwrite to replace it.");
            var (dataset, _) = DataLayer.Load(folder, new Dictionary<string, string>(), allowSparseIds: true);
            string source = Path.Combine(folder, ItemTextFile.FileName);
            var text = dataset.ItemText ?? throw new DataException(source, null, "not found: featurize reads each item's text from it (item id, text; tab-separated).");
            using var encoder = new MiniLmTextEncoder();
            var rule = parse.GetValue(missing) == "mean" ? MissingText.Mean : MissingText.Error;
            var table = TextFeatures.Compute(encoder, text, dataset.ItemIds, source, rule,
                (done, all) => ConsoleProgress.Log($"featurize: {done:N0} of {all:N0} items encoded"));
            NpyWriter.Write(output, table);   // atomically
            ConsoleProgress.Log($"wrote {output}: {table.Rows:N0} items × {table.Cols} (all-MiniLM-L6-v2, mean-pooled, L2-normalised; missing text: {parse.GetValue(missing)})");
            return 0;
        }));
        return command;
    }
}
