using System.Globalization;
using System.Text;
using Crane.Training;

namespace Crane.Experiments;

/// <summary>What a suite's report says about how it ran.</summary>
/// <param name="Suite">The suite.</param>
/// <param name="DataName">The dataset's name.</param>
/// <param name="Seeds">The seeds every run used.</param>
/// <param name="Options">Epochs, patience and learning rate (before a grid's).</param>
/// <param name="Threads">Kernel threads.</param>
public sealed record ExperimentInfo(SuiteKind Suite, string DataName, IReadOnlyList<ulong> Seeds, TrainerOptions Options, int Threads);

/// <summary>results.md and results.csv of a suite: one line per row, metrics as mean ± sd over the seeds.</summary>
public static class ResultsTable
{
    /// <summary>The reported columns: (split, metric key, heading).</summary>
    public static readonly (string Split, string Metric, string Heading)[] Columns =
    [
        ("valid", "recall@20", "valid R@20"),
        ("test", "recall@20", "test R@20"),
        ("test", "ndcg@20", "test N@20"),
        ("test", "recall@10", "test R@10"),
        ("test", "ndcg@10", "test N@10"),
    ];

    /// <summary>"0.0512" for one seed, "0.0512 ± 0.0010" for several.</summary>
    public static string Format(Stat s, string format = "F4") =>
        s.Count > 1 ? $"{s.Mean.ToString(format, CultureInfo.InvariantCulture)} ± {s.Sd.ToString(format, CultureInfo.InvariantCulture)}" : s.Mean.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>results.md: a heading, how it ran, the table of finished rows, and the rows not run with the reason.</summary>
    public static string Markdown(ExperimentInfo info, IReadOnlyList<RowResult> rows)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# crane experiment: {Name(info.Suite)} on {info.DataName}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Seeds {string.Join(", ", info.Seeds)}{(info.Seeds.Count > 1 ? $" (mean ± sample sd over {info.Seeds.Count} seeds)" : "")}; ");
        text.Append(CultureInfo.InvariantCulture, $"at most {info.Options.Epochs} epochs, patience {info.Options.Patience}, {info.Threads} threads. ");
        text.Append("Epochs and grid points are selected on validation Recall@20 only; each run scores the test set once, at its selected epoch. ");
        text.Append("s/epoch is training time per epoch (evaluation excluded) on the machine that ran it.\n\n");
        text.Append("| row | model | settings | ").AppendJoin(" | ", Columns.Select(c => c.Heading)).Append(" | best epoch | s/epoch |\n");
        text.Append("|---|---|---|").Append(string.Concat(Enumerable.Repeat("---:|", Columns.Length + 2))).Append('\n');
        foreach (var row in rows.Where(r => r.Status == RowStatus.Done))
        {
            string settings = RunSpec.Describe(row.Selected!) + (row.PointsTried > 1 ? $" (best of {row.PointsTried})" : "");
            text.Append(CultureInfo.InvariantCulture, $"| {Cell(row.Row.Label)} | {row.Row.Model} | {Cell(settings)} | ");
            text.AppendJoin(" | ", Columns.Select(c => Format(row.Metric(c.Split, c.Metric)!.Value)));
            text.Append(CultureInfo.InvariantCulture, $" | {Format(row.BestEpoch!.Value, "F1")} | {Format(row.SecondsPerEpoch!.Value, "F2")} |\n");
        }
        var notRun = rows.Where(r => r.Status != RowStatus.Done).ToArray();
        if (notRun.Length > 0)
        {
            text.Append("\nNot in the table:\n\n");
            foreach (var row in notRun)
                text.Append(CultureInfo.InvariantCulture, $"- {row.Row.Label} ({row.Row.Model}, {RunSpec.Describe(row.Row.Settings)}): {row.Status.ToString().ToLowerInvariant()}: {row.Reason}\n");
        }
        return text.ToString();
    }

    /// <summary>results.csv: every row, finished or not; each metric as _mean and _sd columns (sd empty for one seed).</summary>
    public static string Csv(IReadOnlyList<RowResult> rows)
    {
        var text = new StringBuilder("row,model,status,settings,points_tried,seeds");
        foreach (var (split, metric, _) in Columns) text.Append(CultureInfo.InvariantCulture, $",{split}_{metric}_mean,{split}_{metric}_sd");
        text.Append(",best_epoch_mean,best_epoch_sd,seconds_per_epoch_mean,seconds_per_epoch_sd,reason\n");
        foreach (var row in rows)
        {
            var settings = row.Selected ?? row.Row.Settings;
            text.AppendJoin(',', [Quote(row.Row.Label), Quote(row.Row.Model), row.Status.ToString().ToLowerInvariant(), Quote(RunSpec.Describe(settings)),
                row.PointsTried.ToString(CultureInfo.InvariantCulture), row.Runs.Count.ToString(CultureInfo.InvariantCulture)]);
            foreach (var stat in Columns.Select(c => row.Metric(c.Split, c.Metric)).Append(row.BestEpoch).Append(row.SecondsPerEpoch))
                text.Append(',').Append(stat is { } s ? N(s.Mean) : "").Append(',').Append(stat is { Count: > 1 } t ? N(t.Sd) : "");
            text.Append(',').Append(Quote(row.Reason ?? "")).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The files of the report: results.md, results.csv and the plots of <see cref="ResultsPlots"/>, each written atomically into <paramref name="folder"/>.</summary>
    public static IReadOnlyList<string> Write(string folder, ExperimentInfo info, IReadOnlyList<RowResult> rows)
    {
        var files = new List<string> { Path.Combine(folder, MarkdownFile), Path.Combine(folder, CsvFile) };
        Data.AtomicFile.WriteText(files[0], Markdown(info, rows));
        Data.AtomicFile.WriteText(files[1], Csv(rows));
        foreach (var (file, png) in ResultsPlots.Build(info, rows))
        {
            files.Add(Path.Combine(folder, file));
            Data.AtomicFile.Write(files[^1], stream => stream.Write(png));
        }
        return files;
    }

    /// <summary>The table as Markdown.</summary>
    public const string MarkdownFile = "results.md";

    /// <summary>The table as CSV.</summary>
    public const string CsvFile = "results.csv";

    /// <summary>The suite's name as typed (main, ablation, …).</summary>
    public static string Name(SuiteKind suite) => suite.ToString().ToLowerInvariant();

    static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    static string Quote(string text) => text.IndexOfAny([',', '"', '\n']) < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    static string N(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
